package dev.llmcompiler.processor.schema;

import java.util.List;
import javax.lang.model.element.Element;
import javax.lang.model.type.TypeMirror;

/**
 * What a Java type looks like as JSON: the model the schema, signature and code writers share, read
 * once from a {@link TypeMirror} by {@link TypeAnalyzer}.
 */
public sealed interface Shape {

  /** A JSON scalar backed by a JDK type. */
  record Scalar(ScalarKind kind) implements Shape {}

  /** An enum: a string with one of the constants' names. */
  record EnumType(TypeMirror type, List<String> constants) implements Shape {}

  /**
   * A record: an object with one property per component. {@code key} identifies the (possibly
   * parameterized) record type within one tool class, for {@code $defs} and recursion.
   */
  record RecordType(TypeMirror type, String key, String simpleName, List<Component> components)
      implements Shape {}

  /** A reference to a record that is still being analyzed: the type is recursive. */
  record RecordRef(String key) implements Shape {}

  /** One record component: its name, description, shape and whether it may be omitted or null. */
  record Component(
      String name, String description, Shape shape, boolean optional, Element element) {}

  /** A {@code List}, {@code Set}, {@code Collection} or array. */
  record ArrayOf(Shape element, boolean unique) implements Shape {}

  /** A {@code Map<String, V>}: an object with arbitrary keys. */
  record MapOf(Shape value) implements Shape {}

  /** {@code Optional<T>}, {@code OptionalInt}, {@code OptionalLong} or {@code OptionalDouble}. */
  record OptionalOf(Shape value, OptionalKind kind) implements Shape {}

  /** The result of a {@code void} method (or {@code CompletionStage<Void>}). */
  record VoidType() implements Shape {}

  /** A type that has no JSON mapping; {@code reason} says why and what to use instead. */
  record Unsupported(String reason) implements Shape {}

  /** The JDK types that map to one JSON scalar. */
  enum ScalarKind {
    STRING("string", null, "string"),
    CHAR_SEQUENCE("string", null, "string"),
    CHAR("string", null, "character"),
    BOOLEAN("boolean", null, "booleanValue"),
    BYTE("integer", null, "byteValue"),
    SHORT("integer", null, "shortValue"),
    INT("integer", null, "intValue"),
    LONG("integer", null, "longValue"),
    BIG_INTEGER("integer", null, "bigInteger"),
    FLOAT("number", null, "floatValue"),
    DOUBLE("number", null, "doubleValue"),
    BIG_DECIMAL("number", null, "bigDecimal"),
    LOCAL_DATE("string", "date", "localDate"),
    LOCAL_TIME("string", "time", "localTime"),
    LOCAL_DATE_TIME("string", null, "localDateTime"),
    INSTANT("string", "date-time", "instant"),
    OFFSET_DATE_TIME("string", "date-time", "offsetDateTime"),
    ZONED_DATE_TIME("string", "date-time", "zonedDateTime"),
    DURATION("string", "duration", "duration"),
    UUID("string", "uuid", "uuid");

    private final String jsonType;
    private final String format;
    private final String decoder;

    ScalarKind(String jsonType, String format, String decoder) {
      this.jsonType = jsonType;
      this.format = format;
      this.decoder = decoder;
    }

    /** The JSON Schema {@code type}. */
    public String jsonType() {
      return jsonType;
    }

    /** The JSON Schema {@code format}, or {@code null}. */
    public String format() {
      return format;
    }

    /** The {@code ToolArguments} method that decodes a top-level argument of this kind. */
    public String decoder() {
      return decoder;
    }
  }

  /** The flavours of optional values. */
  enum OptionalKind {
    OPTIONAL,
    OPTIONAL_INT,
    OPTIONAL_LONG,
    OPTIONAL_DOUBLE
  }
}
