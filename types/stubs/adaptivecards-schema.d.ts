// adaptivecards-templating's typings import `adaptivecards/src/schema`, which resolves to the
// adaptivecards package's TypeScript *sources*; those do not compile under our settings.
// tsconfig "paths" points that import here instead.
export type IAdaptiveCard = Record<string, unknown>;
