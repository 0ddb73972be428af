/**
 * Types of the message catalogue. A message is a string or a function of one parameter object.
 * `never` as the parameter type accepts any one-parameter function without resorting to `any`.
 */
export type MessageShape = string | ((params: never) => string);

/** The shape another language must match: same keys, same parameters, strings widened from literals. */
export type CatalogueOf<T> = {
  readonly [K in keyof T]: T[K] extends (...args: infer A) => string ? (...args: A) => string : string;
};
