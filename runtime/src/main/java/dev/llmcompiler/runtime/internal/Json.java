package dev.llmcompiler.runtime.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.type.LogicalType;
import com.fasterxml.jackson.datatype.jdk8.Jdk8Module;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.util.List;

/**
 * The runtime's one configured, thread-safe Jackson mapper and small helpers around it. Every class
 * of the runtime reads, writes and binds JSON through {@link #MAPPER}; none builds its own.
 *
 * <p>The mapper is strict, because a silently "fixed" value hides a model's mistake: JDK 8 and
 * {@code java.time} modules with ISO dates, no scalar coercion ({@code "12"} is not an integer and
 * {@code 1} is not a boolean), unknown properties rejected, {@code null} rejected for primitives,
 * bytes only from -128 to 127, and text with anything after its JSON value rejected. Reading trees
 * is not affected by the binding settings, so one mapper serves both; {@link #readLeading} is the
 * one place that tolerates text after the value.
 *
 * <p>For the runtime's own modules and generated code only: no compatibility promise.
 */
public final class Json {
  /** The shared mapper; do not reconfigure it. */
  public static final ObjectMapper MAPPER = newMapper();

  /** The node factory for building trees. */
  public static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  // A model's reply may go on with prose after its JSON; only replies are read this way.
  private static final ObjectReader LEADING =
      MAPPER.reader().without(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

  private Json() {}

  /** A new, empty object node. */
  public static ObjectNode object() {
    return NODES.objectNode();
  }

  /**
   * Parses a whole JSON document.
   *
   * @param what names the text in the error, e.g. {@code "The trace"}
   * @throws IllegalArgumentException if {@code text} is not one valid JSON value
   */
  public static JsonNode parse(String text, String what) {
    try {
      return MAPPER.readTree(text);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException(what + " is not valid JSON: " + e.getOriginalMessage(), e);
    }
  }

  /**
   * Reads the first JSON value of {@code text} and ignores what follows it; a missing node when
   * {@code text} is empty.
   */
  public static JsonNode readLeading(String text) throws JsonProcessingException {
    return LEADING.readTree(text);
  }

  /** Writes a tree as JSON text, compact or indented. */
  public static String write(JsonNode node, boolean pretty) {
    try {
      return pretty
          ? MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(node)
          : MAPPER.writeValueAsString(node);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("Could not write JSON: " + e.getOriginalMessage(), e);
    }
  }

  /**
   * The field {@code field} of {@code parent}.
   *
   * @param where names the parent in the error, e.g. {@code "A trace round"}
   * @throws IllegalArgumentException if the field is absent
   */
  public static JsonNode require(JsonNode parent, String field, String where) {
    JsonNode value = parent.get(field);
    if (value == null) {
      throw new IllegalArgumentException(where + " has no \"" + field + "\" field.");
    }
    return value;
  }

  /** The field {@code field} of {@code parent} as text, or {@code null} if it is absent or null. */
  public static String text(JsonNode parent, String field) {
    JsonNode value = parent.get(field);
    return value == null || value.isNull() ? null : value.asText();
  }

  private static ObjectMapper newMapper() {
    JsonMapper mapper =
        JsonMapper.builder()
            .addModule(new Jdk8Module())
            .addModule(new JavaTimeModule())
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .enable(DeserializationFeature.FAIL_ON_NUMBERS_FOR_ENUMS)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
            .disable(DeserializationFeature.ADJUST_DATES_TO_CONTEXT_TIME_ZONE)
            .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .disable(SerializationFeature.WRITE_DURATIONS_AS_TIMESTAMPS)
            .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS)
            .addModule(
                new SimpleModule("llmcompiler-strict-bytes")
                    .addDeserializer(Byte.class, new StrictByteDeserializer(Byte.class))
                    .addDeserializer(byte.class, new StrictByteDeserializer(byte.class)))
            .build();
    // "12" is not an integer and 1 is not a boolean: coercions would hide planning mistakes.
    for (LogicalType type :
        List.of(LogicalType.Integer, LogicalType.Float, LogicalType.Boolean, LogicalType.Textual)) {
      for (CoercionInputShape shape :
          List.of(
              CoercionInputShape.String,
              CoercionInputShape.Integer,
              CoercionInputShape.Float,
              CoercionInputShape.Boolean)) {
        mapper.coercionConfigFor(type).setCoercion(shape, CoercionAction.Fail);
      }
    }
    mapper
        .coercionConfigFor(LogicalType.Float)
        .setCoercion(CoercionInputShape.Integer, CoercionAction.TryConvert);
    return mapper;
  }
}
