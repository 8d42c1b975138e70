package dev.llmcompiler.runtime.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.NullNode;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The runtime's one reader of JSON Schema: the plan parser, the tool-argument decoder and
 * structured answers all ask it, so a given mistake gets the same words wherever it is caught.
 *
 * <p>It knows the keywords the annotation processor writes and that hand-written schemas commonly
 * use: {@code type} (a name or a list of names), {@code enum}, {@code anyOf}/{@code oneOf}
 * (alternatives are accepted when any one fits), local {@code $ref}s ({@code #/$defs/Money}),
 * {@code properties}, {@code required}, {@code additionalProperties} and {@code items}. Keywords it
 * does not know are accepted; the tool's own decoding is the final check.
 *
 * <p>One vocabulary describes both what a schema expects and what a value is: {@code a string},
 * {@code an integer}, {@code a number}, {@code a boolean}, {@code a list} (a JSON array, as the
 * planner's tool signatures call it), {@code an object}, {@code null}, {@code one of "USD", "EUR"};
 * a nullable schema adds {@code or null}. A mismatch reads {@code must be an integer, but got 2.5
 * (a number)}.
 *
 * <p>Methods that take a {@code root} resolve {@code $ref}s against it: the tool's parameters
 * schema, or the answer schema. Public only because the plan parser and the public value classes
 * ({@code ToolDescriptor}, {@code AnswerFormat}) live in other packages; for the runtime's own
 * packages only, with no compatibility promise.
 */
public final class JsonSchemas {
  private static final int MAX_DEPTH = 64;
  private static final int MAX_SHOWN = 60;
  private static final List<String> UNIONS = List.of("anyOf", "oneOf");

  /**
   * One place where a value breaks its schema.
   *
   * @param path where, from the path the check started at: {@code order.lines[1].quantity}
   * @param text what is wrong, to follow the path: {@code must be an integer, but got "2" (a
   *     string)}
   */
  public record Problem(String path, String text) {
    @Override
    public String toString() {
      return path + " " + text;
    }
  }

  private JsonSchemas() {}

  /**
   * {@code schema} with its local {@code $ref}s followed ({@code #/$defs/Money} or any other {@code
   * #/...} pointer into {@code root}); a missing node if a reference leads nowhere, which the other
   * methods treat as accepting anything.
   */
  static JsonNode resolve(JsonNode root, JsonNode schema) {
    JsonNode current = schema == null ? MissingNode.getInstance() : schema;
    for (int hops = 0; hops <= MAX_DEPTH && current.isObject(); hops++) {
      JsonNode ref = current.get("$ref");
      if (ref == null || !ref.isTextual() || !ref.textValue().startsWith("#")) {
        return current;
      }
      String pointer = ref.textValue().substring(1);
      current =
          root == null ? MissingNode.getInstance() : pointer.isEmpty() ? root : root.at(pointer);
    }
    // A boolean schema, a reference that leads nowhere, or a cycle of references.
    return MissingNode.getInstance();
  }

  /**
   * Whether the schema explicitly allows {@code null}: a {@code type} of {@code "null"} or a list
   * with {@code "null"}, an {@code enum} with {@code null}, or an {@code anyOf}/{@code oneOf}
   * alternative that does. A schema that says nothing (<code>{}</code>) does not count: a required
   * parameter with it must still be given a value.
   */
  public static boolean acceptsNull(JsonNode root, JsonNode schema) {
    return acceptsNull(root, schema, 0);
  }

  private static boolean acceptsNull(JsonNode root, JsonNode schema, int depth) {
    JsonNode s = resolve(root, schema);
    if (!s.isObject() || depth > MAX_DEPTH) {
      return false;
    }
    for (String union : UNIONS) {
      for (JsonNode alternative : alternatives(s, union)) {
        if (acceptsNull(root, alternative, depth + 1)) {
          return true;
        }
      }
    }
    JsonNode type = s.get("type");
    JsonNode constants = s.get("enum");
    if (type != null && !typeAccepts(type, NullNode.getInstance())) {
      return false;
    }
    if (constants != null && constants.isArray()) {
      return inEnum(constants, NullNode.getInstance());
    }
    return type != null;
  }

  /**
   * The JSON type names ({@code "string"}, {@code "integer"}, {@code "number"}, {@code "boolean"},
   * {@code "array"}, {@code "object"}, {@code "null"}) the schema accepts, in the order it names
   * them; empty when it does not restrict the type.
   */
  static Set<String> types(JsonNode root, JsonNode schema) {
    Set<String> types = types(root, schema, 0);
    return types == null ? Set.of() : Collections.unmodifiableSet(types);
  }

  /** The accepted types, or {@code null} for any. */
  private static Set<String> types(JsonNode root, JsonNode schema, int depth) {
    JsonNode s = resolve(root, schema);
    if (!s.isObject() || depth > MAX_DEPTH) {
      return null;
    }
    Set<String> own = null;
    JsonNode type = s.get("type");
    if (type != null && type.isTextual()) {
      own = new LinkedHashSet<>(List.of(type.textValue()));
    } else if (type != null && type.isArray()) {
      own = new LinkedHashSet<>();
      for (JsonNode name : type) {
        own.add(name.asText());
      }
    } else if (s.path("enum").isArray()) {
      own = new LinkedHashSet<>();
      for (JsonNode constant : s.get("enum")) {
        own.add(typeOf(constant));
      }
    }
    Set<String> alternatives = null;
    for (String union : UNIONS) {
      JsonNode branches = s.get(union);
      if (branches == null || !branches.isArray() || branches.isEmpty()) {
        continue;
      }
      Set<String> these = new LinkedHashSet<>();
      for (JsonNode branch : branches) {
        Set<String> types = types(root, branch, depth + 1);
        if (types == null) {
          these = null;
          break;
        }
        these.addAll(types);
      }
      if (these != null) {
        alternatives = alternatives == null ? these : intersection(alternatives, these);
      }
    }
    if (own == null) {
      return alternatives;
    }
    return alternatives == null ? own : intersection(own, alternatives);
  }

  private static Set<String> intersection(Set<String> a, Set<String> b) {
    Set<String> both = new LinkedHashSet<>();
    for (String type : a) {
      if (b.contains(type) || (type.equals("integer") && b.contains("number"))) {
        both.add(type);
      } else if (type.equals("number") && b.contains("integer")) {
        both.add("integer");
      }
    }
    return both;
  }

  /**
   * Whether some value of JSON type {@code type} ({@code "string"}, {@code "array"}, ...) can fit
   * the schema's type; what a planned value whose content is not known yet is checked with.
   */
  public static boolean acceptsType(JsonNode root, JsonNode schema, String type) {
    Set<String> types = types(root, schema);
    return types.isEmpty()
        || types.contains(type)
        || (type.equals("integer") && types.contains("number"));
  }

  /**
   * Whether {@code value} fits the schema at its top level: {@code type}, {@code enum} and {@code
   * anyOf}/{@code oneOf}. Integral numbers such as {@code 2.0} count as integers.
   */
  public static boolean fits(JsonNode root, JsonNode schema, JsonNode value) {
    return fits(root, schema, value == null ? NullNode.getInstance() : value, 0);
  }

  private static boolean fits(JsonNode root, JsonNode schema, JsonNode value, int depth) {
    JsonNode s = resolve(root, schema);
    if (!s.isObject() || depth > MAX_DEPTH) {
      return true;
    }
    JsonNode type = s.get("type");
    if (type != null && !typeAccepts(type, value)) {
      return false;
    }
    JsonNode constants = s.get("enum");
    if (constants != null && constants.isArray() && !inEnum(constants, value)) {
      return false;
    }
    for (String union : UNIONS) {
      JsonNode alternatives = s.get(union);
      if (alternatives != null && alternatives.isArray() && !alternatives.isEmpty()) {
        boolean any = false;
        for (JsonNode alternative : alternatives) {
          any |= fits(root, alternative, value, depth + 1);
        }
        if (!any) {
          return false;
        }
      }
    }
    return true;
  }

  /**
   * Whether {@code value} is one of the schema's {@code enum} constants; {@code true} without an
   * {@code enum}.
   */
  static boolean inEnum(JsonNode root, JsonNode schema, JsonNode value) {
    JsonNode constants = resolve(root, schema).get("enum");
    return constants == null
        || !constants.isArray()
        || inEnum(constants, value == null ? NullNode.getInstance() : value);
  }

  private static boolean inEnum(JsonNode constants, JsonNode value) {
    for (JsonNode constant : constants) {
      if (constant.isNumber() && value.isNumber() && isFinite(constant) && isFinite(value)
          ? constant.decimalValue().compareTo(value.decimalValue()) == 0
          : constant.equals(value)) {
        return true;
      }
    }
    return false;
  }

  /**
   * The alternatives of {@code anyOf} or {@code oneOf}; none if the keyword is absent or not a
   * list.
   */
  private static Iterable<JsonNode> alternatives(JsonNode schema, String union) {
    JsonNode alternatives = schema.get(union);
    return alternatives != null && alternatives.isArray() ? alternatives : List.of();
  }

  private static boolean typeAccepts(JsonNode type, JsonNode value) {
    if (type.isTextual()) {
      return typeNameAccepts(type.textValue(), value);
    }
    if (type.isArray()) {
      for (JsonNode name : type) {
        if (typeNameAccepts(name.asText(), value)) {
          return true;
        }
      }
      return false;
    }
    return true;
  }

  private static boolean typeNameAccepts(String name, JsonNode value) {
    return switch (name) {
      case "null" -> value.isNull() || value.isMissingNode();
      case "string" -> value.isTextual();
      case "boolean" -> value.isBoolean();
      case "number" -> value.isNumber() && isFinite(value);
      // JSON Schema counts 2.0 as an integer; 2.5 is not one.
      case "integer" ->
          value.isIntegralNumber()
              || (value.isNumber()
                  && isFinite(value)
                  && value.decimalValue().stripTrailingZeros().scale() <= 0);
      case "array" -> value.isArray();
      case "object" -> value.isObject();
      default -> true;
    };
  }

  private static boolean isFinite(JsonNode number) {
    return !(number.isDouble() || number.isFloat()) || Double.isFinite(number.doubleValue());
  }

  /**
   * The schema whose keywords describe {@code value}'s structure: {@code schema} with its {@code
   * $ref}s followed and, for {@code anyOf}/{@code oneOf}, the first alternative (other than a plain
   * <code>{"type":"null"}</code>) that {@code value} fits.
   */
  static JsonNode branch(JsonNode root, JsonNode schema, JsonNode value) {
    return branch(root, schema, value == null ? NullNode.getInstance() : value, 0);
  }

  private static JsonNode branch(JsonNode root, JsonNode schema, JsonNode value, int depth) {
    JsonNode s = resolve(root, schema);
    if (!s.isObject()
        || depth > MAX_DEPTH
        || s.has("properties")
        || s.has("items")
        || s.has("additionalProperties")) {
      return s;
    }
    for (String union : UNIONS) {
      for (JsonNode alternative : alternatives(s, union)) {
        if (!"null".equals(alternative.path("type").asText(null))
            && fits(root, alternative, value, depth + 1)) {
          return branch(root, alternative, value, depth + 1);
        }
      }
    }
    return s;
  }

  /**
   * What the schema expects, in the words of every mismatch message: {@code a string}, {@code an
   * integer or null}, {@code a list}, {@code one of "USD", "EUR" or null}, {@code a date like
   * "2024-05-31"}.
   */
  public static String describe(JsonNode root, JsonNode schema) {
    Set<String> parts = new LinkedHashSet<>();
    boolean[] nullable = {false};
    collect(root, schema, parts, nullable, 0);
    if (parts.isEmpty()) {
      return nullable[0] ? "null" : "a value matching its schema";
    }
    return String.join(" or ", parts) + (nullable[0] ? " or null" : "");
  }

  private static void collect(
      JsonNode root, JsonNode schema, Set<String> parts, boolean[] nullable, int depth) {
    JsonNode s = resolve(root, schema);
    if (!s.isObject() || depth > MAX_DEPTH) {
      return;
    }
    boolean alternatives = false;
    for (String union : UNIONS) {
      for (JsonNode alternative : alternatives(s, union)) {
        collect(root, alternative, parts, nullable, depth + 1);
        alternatives = true;
      }
    }
    if (alternatives) {
      return;
    }
    JsonNode type = s.get("type");
    JsonNode constants = s.get("enum");
    if (constants != null && constants.isArray()) {
      List<JsonNode> named = new ArrayList<>();
      for (JsonNode constant : constants) {
        if (constant.isNull()) {
          nullable[0] |= type == null || typeAccepts(type, constant);
        } else {
          named.add(constant);
        }
      }
      if (!named.isEmpty()) {
        parts.add(oneOf(named));
      }
      return;
    }
    List<String> names = new ArrayList<>();
    if (type != null && type.isTextual()) {
      names.add(type.textValue());
    } else if (type != null && type.isArray()) {
      type.forEach(name -> names.add(name.asText()));
    }
    for (String name : names) {
      if (name.equals("null")) {
        nullable[0] = true;
      } else {
        parts.add(name.equals("string") ? stringWords(s) : typeWord(name));
      }
    }
  }

  private static String stringWords(JsonNode schema) {
    return switch (schema.path("format").asText()) {
      case "date" -> "a date like \"2024-05-31\"";
      case "date-time" -> "a date-time like \"2024-05-31T13:45:00Z\"";
      case "time" -> "a time like \"13:45:00\"";
      case "duration" -> "a duration like \"PT15M\"";
      case "uuid" -> "a UUID like \"123e4567-e89b-12d3-a456-426614174000\"";
      default ->
          schema.path("maxLength").asInt(-1) == 1 && schema.path("minLength").asInt(1) == 1
              ? "a string of exactly one character"
              : "a string";
    };
  }

  /** {@code one of "USD", "EUR"}: constants as JSON text. */
  static String oneOf(Iterable<JsonNode> constants) {
    List<String> shown = new ArrayList<>();
    constants.forEach(constant -> shown.add(constant.toString()));
    return "one of " + String.join(", ", shown);
  }

  /**
   * The words for a JSON type name: {@code a string}, {@code an integer}, {@code a number}, {@code
   * a boolean}, {@code a list}, {@code an object}, {@code null}.
   */
  static String typeWord(String type) {
    return switch (type) {
      case "integer" -> "an integer";
      case "array" -> "a list";
      case "object" -> "an object";
      case "null" -> "null";
      default -> "a " + type;
    };
  }

  /**
   * The JSON type name of a value: {@code "string"}, {@code "number"}, {@code "boolean"}, {@code
   * "array"}, {@code "object"} or {@code "null"}.
   */
  static String typeOf(JsonNode value) {
    if (value == null || value.isNull() || value.isMissingNode()) {
      return "null";
    } else if (value.isTextual() || value.isBinary()) {
      return "string";
    } else if (value.isNumber()) {
      return "number";
    } else if (value.isBoolean()) {
      return "boolean";
    } else if (value.isArray()) {
      return "array";
    }
    return "object";
  }

  /**
   * A received value as mismatch messages show it: {@code 2.5 (a number)}, {@code "ten" (a
   * string)}, {@code null}; long values are shortened so they cannot flood a prompt.
   */
  public static String show(JsonNode value) {
    String type = typeOf(value);
    return type.equals("null") ? "null" : show(value.toString(), type);
  }

  /**
   * A received value given as text with its JSON type, e.g. a planned {@code "top $1"} that is a
   * string.
   */
  public static String show(String text, String type) {
    String shown = text.length() > MAX_SHOWN ? text.substring(0, MAX_SHOWN - 3) + "..." : text;
    return type.equals("null") ? "null" : shown + " (" + typeWord(type) + ")";
  }

  /** The one form of a mismatch: {@code must be <expected>, but got <received>}. */
  public static String mustBe(String expected, String received) {
    return "must be " + expected + ", but got " + received;
  }

  /** {@code has an unknown field 'rate'; its fields are: amount, currency}. */
  static String unknownField(String field, List<String> known) {
    return "has an unknown field '"
        + field
        + "'; "
        + (known.isEmpty() ? "it has no fields" : "its fields are: " + String.join(", ", known));
  }

  /**
   * Where {@code value} breaks the schema, outermost first, at most {@code limit} of them:
   * top-level mismatches ({@link #fits}), then for objects required fields that are missing or
   * {@code null} (a required field that {@linkplain #acceptsNull accepts null} may also be left
   * out), unknown fields where {@code additionalProperties} is {@code false} and each field's
   * value, and for lists each element. A {@code null} for a field that is not required counts as
   * absent.
   *
   * @param path how to name {@code value} in problems, e.g. the parameter name or {@code $}
   */
  public static List<Problem> problems(
      JsonNode root, JsonNode schema, JsonNode value, String path, int limit) {
    List<Problem> problems = new ArrayList<>();
    check(root, schema, value == null ? NullNode.getInstance() : value, path, problems, limit, 0);
    return problems;
  }

  private static void check(
      JsonNode root,
      JsonNode schema,
      JsonNode value,
      String path,
      List<Problem> problems,
      int limit,
      int depth) {
    if (problems.size() >= limit || depth > MAX_DEPTH) {
      return;
    }
    if (!fits(root, schema, value, 0)) {
      problems.add(new Problem(path, mustBe(describe(root, schema), show(value))));
      return;
    }
    JsonNode s = branch(root, schema, value, 0);
    if (value.isObject()) {
      JsonNode properties = s.path("properties");
      Set<String> required = new LinkedHashSet<>();
      for (JsonNode name : s.path("required")) {
        required.add(name.asText());
      }
      for (String field : required) {
        JsonNode child = value.get(field);
        JsonNode fieldSchema = properties.path(field);
        // OpenAI's strict mode lists every field as required and makes the optional ones nullable:
        // like ToolDescriptor#requiredParameters, "required" means "must have a non-null value".
        if ((child == null || child.isNull()) && acceptsNull(root, fieldSchema)) {
          continue;
        }
        if (child == null) {
          add(
              problems,
              limit,
              new Problem(
                  path,
                  "is missing the required field '"
                      + field
                      + "' ("
                      + describe(root, fieldSchema)
                      + ")"));
        } else if (child.isNull()) {
          add(
              problems,
              limit,
              new Problem(path + "." + field, mustBe(describe(root, fieldSchema), "null")));
        }
      }
      JsonNode additional = s.get("additionalProperties");
      for (Iterator<Map.Entry<String, JsonNode>> fields = value.fields(); fields.hasNext(); ) {
        Map.Entry<String, JsonNode> field = fields.next();
        JsonNode fieldSchema = properties.get(field.getKey());
        if (fieldSchema != null) {
          if (!field.getValue().isNull()) {
            check(
                root,
                fieldSchema,
                field.getValue(),
                path + "." + field.getKey(),
                problems,
                limit,
                depth + 1);
          }
        } else if (additional != null && additional.isBoolean() && !additional.booleanValue()) {
          List<String> known = new ArrayList<>();
          properties.fieldNames().forEachRemaining(known::add);
          add(problems, limit, new Problem(path, unknownField(field.getKey(), known)));
        } else if (additional != null && additional.isObject()) {
          check(
              root,
              additional,
              field.getValue(),
              path + "." + field.getKey(),
              problems,
              limit,
              depth + 1);
        }
      }
    } else if (value.isArray() && s.path("items").isObject()) {
      for (int i = 0; i < value.size(); i++) {
        check(root, s.get("items"), value.get(i), path + "[" + i + "]", problems, limit, depth + 1);
      }
    }
  }

  private static void add(List<Problem> problems, int limit, Problem problem) {
    if (problems.size() < limit) {
      problems.add(problem);
    }
  }
}
