package dev.llmcompiler.runtime.internal;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.exc.InputCoercionException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.llmcompiler.runtime.ToolArgumentException;
import dev.llmcompiler.runtime.ToolDescriptor;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZonedDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Decodes the JSON arguments of one tool call into Java values and encodes results; used by the
 * {@code FooTools} classes the annotation processor generates. For generated code only: this
 * package has no compatibility promise, and application code should not call it.
 *
 * <p>Decoding is strict, because a silently "fixed" argument hides a planning mistake from the LLM:
 * unknown argument names, missing required arguments, {@code null} for a non-nullable parameter,
 * strings for numbers, {@code 2.5} for an integer, out-of-range numbers and unknown enum constants
 * all throw a {@link ToolArgumentException} whose message names the tool, the argument (with the
 * path inside it when nested), what was expected and what was received, in the words of {@link
 * JsonSchemas}, which also checks plans and structured answers:
 *
 * <pre>
 * Tool 'convert': argument 'amount' must be a number, but got "ten" (a string).
 * </pre>
 *
 * <p>A generated tool method reads its arguments like this:
 *
 * <pre>{@code
 * ToolArguments args = ToolArguments.of(CONVERT, arguments);
 * double amount = args.doubleValue("amount");
 * Currency to = args.enumValue("to", Currency.values());
 * List<Line> lines = args.value("lines", LINES_TYPE);
 * return CompletableFuture.completedFuture(ToolArguments.encode(target.convert(amount, to, lines)));
 * }</pre>
 *
 * <p>Every getter returns {@code null} for an absent or {@code null} argument the tool's schema
 * allows to be omitted; for a required one it throws instead, so unboxing a required primitive is
 * safe. Records, collections, arrays, maps and {@code Optional}s are bound with the runtime's one
 * strict mapper, {@link Json#MAPPER}. Instances are cheap, per call, and not thread-safe; the
 * static methods are.
 */
public final class ToolArguments {
  private static final ObjectMapper MAPPER = Json.MAPPER;

  private final ToolDescriptor tool;
  private final ObjectNode arguments;

  private ToolArguments(ToolDescriptor tool, ObjectNode arguments) {
    this.tool = tool;
    this.arguments = arguments;
  }

  /**
   * Starts decoding one call's arguments: rejects argument names the tool does not have and
   * required arguments that are absent.
   *
   * @param arguments the call's named arguments; {@code null} means none
   * @throws ToolArgumentException if an argument is unknown or a required one is missing
   */
  public static ToolArguments of(ToolDescriptor tool, ObjectNode arguments) {
    Objects.requireNonNull(tool, "tool");
    ObjectNode given = arguments == null ? MAPPER.createObjectNode() : arguments;
    for (Iterator<String> names = given.fieldNames(); names.hasNext(); ) {
      String name = names.next();
      if (!tool.parameterNames().contains(name)) {
        throw new ToolArgumentException(
            tool.name(),
            name,
            prefix(tool) + "unknown argument '" + name + "'. " + parameterList(tool));
      }
    }
    for (String required : tool.requiredParameters()) {
      if (!given.has(required)) {
        throw new ToolArgumentException(
            tool.name(),
            required,
            prefix(tool)
                + "required argument '"
                + required
                + "' is missing. "
                + parameterList(tool));
      }
    }
    return new ToolArguments(tool, given);
  }

  /** Encodes a tool's result as JSON; {@code null} (and {@code void}) becomes {@code NullNode}. */
  public static JsonNode encode(Object result) {
    if (result == null) {
      return NullNode.getInstance();
    }
    return MAPPER.valueToTree(result);
  }

  /** The error for a call of a tool this set does not have; lists the tools it does have. */
  public static ToolArgumentException unknownTool(String tool, List<ToolDescriptor> tools) {
    String names = tools.stream().map(ToolDescriptor::name).collect(Collectors.joining(", "));
    return new ToolArgumentException(
        String.valueOf(tool),
        null,
        "Unknown tool '" + tool + "'. The tools here are: " + names + ".");
  }

  /** A string argument (also used for {@code CharSequence} parameters). */
  public String string(String name) {
    JsonNode node = present(name);
    if (node == null) {
      return null;
    }
    if (!node.isTextual()) {
      throw mismatch(name, "a string", node);
    }
    return node.textValue();
  }

  /** A {@code char} argument: a string of exactly one character. */
  public Character character(String name) {
    JsonNode node = present(name);
    if (node == null) {
      return null;
    }
    if (!node.isTextual() || node.textValue().length() != 1) {
      throw mismatch(name, "a string of exactly one character", node);
    }
    return node.textValue().charAt(0);
  }

  /** A boolean argument; {@code "true"} (a string) and {@code 1} are rejected. */
  public Boolean booleanValue(String name) {
    JsonNode node = present(name);
    if (node == null) {
      return null;
    }
    if (!node.isBoolean()) {
      throw mismatch(name, "a boolean", node);
    }
    return node.booleanValue();
  }

  /** A {@code byte} argument: an integer from -128 to 127. */
  public Byte byteValue(String name) {
    BigInteger value =
        integer(name, BigInteger.valueOf(Byte.MIN_VALUE), BigInteger.valueOf(Byte.MAX_VALUE));
    return value == null ? null : value.byteValue();
  }

  /** A {@code short} argument: an integer from -32768 to 32767. */
  public Short shortValue(String name) {
    BigInteger value =
        integer(name, BigInteger.valueOf(Short.MIN_VALUE), BigInteger.valueOf(Short.MAX_VALUE));
    return value == null ? null : value.shortValue();
  }

  /**
   * An {@code int} argument; {@code 2.0} is accepted, {@code 2.5} and out-of-range values are not.
   */
  public Integer intValue(String name) {
    BigInteger value =
        integer(name, BigInteger.valueOf(Integer.MIN_VALUE), BigInteger.valueOf(Integer.MAX_VALUE));
    return value == null ? null : value.intValue();
  }

  /** A {@code long} argument. */
  public Long longValue(String name) {
    BigInteger value =
        integer(name, BigInteger.valueOf(Long.MIN_VALUE), BigInteger.valueOf(Long.MAX_VALUE));
    return value == null ? null : value.longValue();
  }

  /** A {@link BigInteger} argument of any size. */
  public BigInteger bigInteger(String name) {
    return integer(name, null, null);
  }

  /** A {@code float} argument: a finite number within the range of {@code float}. */
  public Float floatValue(String name) {
    BigDecimal value = number(name);
    if (value == null) {
      return null;
    }
    float result = value.floatValue();
    if (!Float.isFinite(result)) {
      throw mismatch(name, "a number within the range of a 32-bit float", arguments.get(name));
    }
    return result;
  }

  /** A {@code double} argument: a finite number within the range of {@code double}. */
  public Double doubleValue(String name) {
    BigDecimal value = number(name);
    if (value == null) {
      return null;
    }
    double result = value.doubleValue();
    if (!Double.isFinite(result)) {
      throw mismatch(name, "a number within the range of a 64-bit double", arguments.get(name));
    }
    return result;
  }

  /** A {@link BigDecimal} argument, exactly as written in the JSON. */
  public BigDecimal bigDecimal(String name) {
    return number(name);
  }

  /** An {@code OptionalInt} argument: empty when absent or {@code null}. */
  public OptionalInt optionalInt(String name) {
    Integer value = intValue(name);
    return value == null ? OptionalInt.empty() : OptionalInt.of(value);
  }

  /** An {@code OptionalLong} argument: empty when absent or {@code null}. */
  public OptionalLong optionalLong(String name) {
    Long value = longValue(name);
    return value == null ? OptionalLong.empty() : OptionalLong.of(value);
  }

  /** An {@code OptionalDouble} argument: empty when absent or {@code null}. */
  public OptionalDouble optionalDouble(String name) {
    Double value = doubleValue(name);
    return value == null ? OptionalDouble.empty() : OptionalDouble.of(value);
  }

  /**
   * An enum argument: the constant's exact name, e.g. {@code "EUR"}.
   *
   * @param constants the enum's constants, {@code Currency.values()}: passed in so no reflection is
   *     needed
   */
  public <E extends Enum<E>> E enumValue(String name, E[] constants) {
    JsonNode node = present(name);
    if (node == null) {
      return null;
    }
    if (node.isTextual()) {
      for (E constant : constants) {
        if (constant.name().equals(node.textValue())) {
          return constant;
        }
      }
    }
    List<JsonNode> names = new ArrayList<>();
    for (E constant : constants) {
      names.add(MAPPER.getNodeFactory().textNode(constant.name()));
    }
    throw mismatch(name, JsonSchemas.oneOf(names), node);
  }

  /** A {@link LocalDate} argument, ISO 8601 ({@code 2024-05-31}). */
  public LocalDate localDate(String name) {
    return parsed(name, "a date like \"2024-05-31\"", LocalDate::parse);
  }

  /** A {@link LocalTime} argument, ISO 8601 ({@code 13:45:00}). */
  public LocalTime localTime(String name) {
    return parsed(name, "a time like \"13:45:00\"", LocalTime::parse);
  }

  /** A {@link LocalDateTime} argument, ISO 8601 without offset ({@code 2024-05-31T13:45:00}). */
  public LocalDateTime localDateTime(String name) {
    return parsed(name, "a local date-time like \"2024-05-31T13:45:00\"", LocalDateTime::parse);
  }

  /** An {@link Instant} argument, ISO 8601 in UTC ({@code 2024-05-31T13:45:00Z}). */
  public Instant instant(String name) {
    return parsed(
        name,
        "a date-time like \"2024-05-31T13:45:00Z\"",
        text -> OffsetDateTime.parse(text).toInstant());
  }

  /** An {@link OffsetDateTime} argument, ISO 8601 with offset. */
  public OffsetDateTime offsetDateTime(String name) {
    return parsed(name, "a date-time like \"2024-05-31T13:45:00+02:00\"", OffsetDateTime::parse);
  }

  /** A {@link ZonedDateTime} argument, ISO 8601 with offset (and optional zone). */
  public ZonedDateTime zonedDateTime(String name) {
    return parsed(name, "a date-time like \"2024-05-31T13:45:00+02:00\"", ZonedDateTime::parse);
  }

  /** A {@link Duration} argument, ISO 8601 ({@code PT15M}). */
  public Duration duration(String name) {
    return parsed(name, "a duration like \"PT15M\"", Duration::parse);
  }

  /** A {@link UUID} argument in its canonical 36-character form. */
  public UUID uuid(String name) {
    return parsed(
        name,
        "a UUID like \"123e4567-e89b-12d3-a456-426614174000\"",
        text -> {
          if (text.length() != 36) {
            throw new IllegalArgumentException("not canonical");
          }
          return UUID.fromString(text);
        });
  }

  /**
   * Any other argument (records, lists, sets, arrays, maps, {@code Optional}s), bound by Jackson to
   * {@code type}. The whole value is checked against the tool's schema first, so a missing required
   * field is reported by its path rather than becoming {@code null}.
   */
  public <T> T value(String name, TypeReference<T> type) {
    JsonNode node = present(name);
    if (node == null) {
      return null;
    }
    JsonNode schema = schema(name);
    JavaType javaType = MAPPER.getTypeFactory().constructType(type);
    try {
      return MAPPER.treeToValue(node, javaType);
    } catch (JsonProcessingException | IllegalArgumentException e) {
      throw translate(name, node, schema, e);
    }
  }

  /**
   * The argument, checked against its schema with the words every schema check uses ({@link
   * JsonSchemas}); {@code null} if it is absent or {@code null} and may be.
   */
  private JsonNode present(String name) {
    JsonNode node = arguments.get(name);
    JsonNode schema = schema(name);
    if (node == null || node.isNull()) {
      if (tool.requiredParameters().contains(name)) {
        throw mismatch(
            name, JsonSchemas.describe(tool.parameters(), schema), NullNode.getInstance());
      }
      return null;
    }
    for (JsonSchemas.Problem problem :
        JsonSchemas.problems(tool.parameters(), schema, node, name, 1)) {
      throw new ToolArgumentException(
          tool.name(),
          name,
          prefix(tool) + "argument '" + problem.path() + "' " + problem.text() + ".");
    }
    return node;
  }

  private JsonNode schema(String name) {
    return tool.parameters().path("properties").path(name);
  }

  private BigInteger integer(String name, BigInteger min, BigInteger max) {
    JsonNode node = present(name);
    if (node == null) {
      return null;
    }
    if (!node.isNumber()
        || (node.isDouble() || node.isFloat()) && !Double.isFinite(node.doubleValue())) {
      throw mismatch(name, "an integer", node);
    }
    BigInteger value;
    if (node.isIntegralNumber()) {
      value = node.bigIntegerValue();
    } else {
      BigDecimal decimal = node.decimalValue().stripTrailingZeros();
      if (decimal.scale() > 0) {
        throw mismatch(name, "an integer", node);
      }
      value = decimal.toBigIntegerExact();
    }
    // The schema says "integer"; only Java knows the range, so only an integer out of it names one.
    if (min != null && (value.compareTo(min) < 0 || value.compareTo(max) > 0)) {
      throw mismatch(name, "an integer from " + min + " to " + max, node);
    }
    return value;
  }

  private BigDecimal number(String name) {
    JsonNode node = present(name);
    if (node == null) {
      return null;
    }
    if (!node.isNumber()
        || (node.isDouble() || node.isFloat()) && !Double.isFinite(node.doubleValue())) {
      throw mismatch(name, "a number", node);
    }
    return node.decimalValue();
  }

  private <T> T parsed(String name, String expected, Function<String, T> parser) {
    JsonNode node = present(name);
    if (node == null) {
      return null;
    }
    if (node.isTextual()) {
      try {
        return parser.apply(node.textValue());
      } catch (DateTimeParseException | IllegalArgumentException e) {
        // reported below with what was expected
      }
    }
    throw mismatch(name, expected, node);
  }

  private ToolArgumentException translate(
      String name, JsonNode node, JsonNode schema, Exception e) {
    Throwable failure =
        e instanceof IllegalArgumentException && e.getCause() != null ? e.getCause() : e;
    List<Object> segments = new ArrayList<>();
    if (failure instanceof JsonMappingException) {
      for (JsonMappingException.Reference reference : ((JsonMappingException) failure).getPath()) {
        segments.add(
            reference.getFieldName() != null
                ? reference.getFieldName()
                : (Object) reference.getIndex());
      }
    } else if (failure instanceof InputCoercionException
        && ((InputCoercionException) failure).getProcessor() != null) {
      // Out-of-range numbers fail in the parser, before data binding knows a path; the parser does.
      JsonParser parser = ((InputCoercionException) failure).getProcessor();
      JsonPointer pointer = parser.getParsingContext().pathAsPointer();
      for (JsonPointer p = pointer; p != null && !p.matches(); p = p.tail()) {
        segments.add(
            p.getMatchingIndex() >= 0 && p.getMatchingProperty().matches("\\d+")
                ? (Object) p.getMatchingIndex()
                : p.getMatchingProperty());
      }
    }
    StringBuilder path = new StringBuilder(name);
    JsonNode received = node;
    JsonNode fieldSchema = schema;
    for (Object segment : segments) {
      if (segment instanceof Integer) {
        path.append('[').append(segment).append(']');
        fieldSchema = JsonSchemas.branch(tool.parameters(), fieldSchema, received).path("items");
        received = received.path((Integer) segment);
      } else {
        path.append('.').append(segment);
        JsonNode resolved = JsonSchemas.branch(tool.parameters(), fieldSchema, received);
        received = received.path((String) segment);
        fieldSchema =
            resolved.path("properties").has((String) segment)
                ? resolved.path("properties").path((String) segment)
                : resolved.path("additionalProperties");
      }
    }
    if (failure instanceof UnrecognizedPropertyException) {
      UnrecognizedPropertyException unknown = (UnrecognizedPropertyException) failure;
      // The path ends at the unknown property itself; the message names its parent object.
      String parent = path.substring(0, path.length() - unknown.getPropertyName().length() - 1);
      List<String> known = new ArrayList<>();
      for (Object id : unknown.getKnownPropertyIds()) {
        known.add(String.valueOf(id));
      }
      known.sort(null);
      return new ToolArgumentException(
          tool.name(),
          name,
          prefix(tool)
              + "argument '"
              + parent
              + "' "
              + JsonSchemas.unknownField(unknown.getPropertyName(), known)
              + ".",
          failure);
    }
    if (failure instanceof ValueInstantiationException) {
      Throwable cause = failure.getCause() != null ? failure.getCause() : failure;
      return new ToolArgumentException(
          tool.name(),
          name,
          prefix(tool) + "argument '" + path + "' was rejected: " + cause.getMessage(),
          failure);
    }
    String expected =
        failure instanceof InvalidFormatException
                && StrictByteDeserializer.handles(
                    ((InvalidFormatException) failure).getTargetType())
            ? StrictByteDeserializer.EXPECTED
            : JsonSchemas.describe(tool.parameters(), fieldSchema);
    ToolArgumentException exception =
        mismatch(name, path.toString(), expected, received.isMissingNode() ? node : received);
    exception.initCause(failure);
    return exception;
  }

  private ToolArgumentException mismatch(String name, String expected, JsonNode received) {
    return mismatch(name, name, expected, received);
  }

  private ToolArgumentException mismatch(
      String parameter, String path, String expected, JsonNode received) {
    return new ToolArgumentException(
        tool.name(),
        parameter,
        prefix(tool)
            + "argument '"
            + path
            + "' "
            + JsonSchemas.mustBe(expected, JsonSchemas.show(received))
            + ".");
  }

  private static String prefix(ToolDescriptor tool) {
    return "Tool '" + tool.name() + "': ";
  }

  private static String parameterList(ToolDescriptor tool) {
    if (tool.parameterNames().isEmpty()) {
      return "It takes no arguments.";
    }
    List<String> shown = new ArrayList<>();
    for (String parameter : tool.parameterNames()) {
      shown.add(
          tool.requiredParameters().contains(parameter) ? parameter : parameter + " (optional)");
    }
    return "Its parameters are: " + String.join(", ", shown) + ".";
  }
}
