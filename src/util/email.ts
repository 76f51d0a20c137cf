/** An e-mail address as settings and requests take it: something@domain.tld, no spaces. */
export const EMAIL_ADDRESS = /^[^@\s]+@[^@\s]+\.[^@\s]+$/;
