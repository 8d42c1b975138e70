package test.typeuse;

import java.lang.annotation.ElementType;
import java.lang.annotation.Target;

/** A type-use annotation named like JSpecify's. */
@Target(ElementType.TYPE_USE)
public @interface Nullable {}
