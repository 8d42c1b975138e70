package test;

/** A declaration annotation named like JSR 305's, to prove matching by simple name. */
public @interface Nullable {}
