/**
 * Type-level parsing of command patterns, so that a handler's `args` are typed from the pattern
 * string itself:
 *
 * ```ts
 * ArgsOf<'ticket open <priority:low|high> <title...>'>  // { priority: 'low' | 'high'; title: string }
 * ArgsOf<'roll [<sides:number>]'>                        // { sides: number | undefined }
 * ```
 */

type TrimLeft<S extends string> = S extends ` ${infer R}` ? TrimLeft<R> : S;
type TrimRight<S extends string> = S extends `${infer R} ` ? TrimRight<R> : S;
type Trim<S extends string> = TrimLeft<TrimRight<S>>;

/** Splits a pattern into its whitespace-separated tokens. */
export type Tokens<S extends string> =
  Trim<S> extends '' ? [] : Trim<S> extends `${infer Head} ${infer Tail}` ? [Head, ...Tokens<Tail>] : [Trim<S>];

type SplitChoices<S extends string> = S extends `${infer A}|${infer B}` ? Lowercase<A> | SplitChoices<B> : Lowercase<S>;

/** The value type of a parameter body (what is inside `<...>`), keyed by its name. */
type ParamType<Body extends string> = Body extends `${infer Name}...`
  ? { name: Name; type: string }
  : Body extends `${infer Name}:number`
    ? { name: Name; type: number }
    : Body extends `${infer Name}:${infer Choices}`
      ? { name: Name; type: SplitChoices<Choices> }
      : { name: Body; type: string };

type TokenArgs<T extends string> = T extends `[<${infer Body}>]`
  ? { [K in ParamType<Body>['name']]: ParamType<Body>['type'] | undefined }
  : T extends `<${infer Body}>`
    ? { [K in ParamType<Body>['name']]: ParamType<Body>['type'] }
    : unknown;

type Merge<Ts extends unknown[]> = Ts extends [infer H extends string, ...infer R extends unknown[]]
  ? TokenArgs<H> & Merge<R>
  : unknown;

type Flatten<T> = { [K in keyof T]: T[K] } & {};

/** The typed `args` object of a command pattern. */
export type ArgsOf<P extends string> = string extends P
  ? Record<string, string | number | undefined>
  : Flatten<Merge<Tokens<P>>>;
