/** Builders fill an entity field by field, then hand it out as its readonly type. */
export type Mutable<T> = { -readonly [K in keyof T]: T[K] };
