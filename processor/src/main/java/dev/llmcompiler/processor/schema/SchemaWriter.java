package dev.llmcompiler.processor.schema;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.llmcompiler.processor.schema.Shape.ArrayOf;
import dev.llmcompiler.processor.schema.Shape.Component;
import dev.llmcompiler.processor.schema.Shape.EnumType;
import dev.llmcompiler.processor.schema.Shape.MapOf;
import dev.llmcompiler.processor.schema.Shape.OptionalOf;
import dev.llmcompiler.processor.schema.Shape.RecordRef;
import dev.llmcompiler.processor.schema.Shape.RecordType;
import dev.llmcompiler.processor.schema.Shape.Scalar;
import dev.llmcompiler.processor.schema.Shape.Unsupported;
import dev.llmcompiler.processor.schema.Shape.VoidType;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Writes JSON Schemas (valid under draft 2020-12, without a {@code $schema} keyword) from shapes.
 *
 * <p>Records are inlined, except recursive ones, which go to {@code $defs} and are referenced with
 * {@code $ref}. Record objects never allow unknown properties. In strict mode (OpenAI structured
 * outputs) every property is listed in {@code required} and optional ones accept {@code null}
 * instead: {@code "type": ["string", "null"]}, or {@code anyOf} with {@code {"type": "null"}} for
 * enums and references.
 */
public final class SchemaWriter {
  private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

  private final Map<String, RecordType> records;
  private final Map<String, String> definitionNames = new LinkedHashMap<>();

  public SchemaWriter(Map<String, RecordType> records, Set<String> recursive) {
    this.records = records;
    Set<String> taken = new HashSet<>();
    for (String key : recursive) {
      String base = records.get(key).simpleName();
      String name = base;
      for (int n = 2; !taken.add(name); n++) {
        name = base + "_" + n;
      }
      definitionNames.put(key, name);
    }
  }

  /** Whether OpenAI strict mode can describe these parameters; it cannot describe maps. */
  public boolean strictPossible(List<Property> parameters) {
    return firstWithMap(parameters) == null;
  }

  /** The first parameter whose type contains a map, or {@code null}. */
  public Property firstWithMap(List<Property> parameters) {
    for (Property parameter : parameters) {
      if (containsMap(parameter.shape(), new HashSet<>())) {
        return parameter;
      }
    }
    return null;
  }

  /** The object schema of a tool's named parameters. */
  public ObjectNode parameters(List<Property> parameters, boolean strict) {
    Context context = new Context(strict);
    ObjectNode schema = object(parameters, context);
    addDefinitions(schema, context);
    return schema;
  }

  /** The schema of a tool's result. */
  public ObjectNode result(Shape result, boolean nullable) {
    Context context = new Context(false);
    ObjectNode schema = write(result, context);
    if (nullable && !(result instanceof VoidType)) {
      schema = nullable(schema);
    }
    addDefinitions(schema, context);
    return schema;
  }

  private void addDefinitions(ObjectNode schema, Context context) {
    if (context.used.isEmpty()) {
      return;
    }
    Map<String, ObjectNode> definitions = new LinkedHashMap<>();
    // Writing a definition may use further definitions; keep going until none is missing.
    while (definitions.size() < context.used.size()) {
      for (String key : new ArrayList<>(context.used)) {
        if (!definitions.containsKey(key)) {
          definitions.put(key, object(properties(records.get(key)), context));
        }
      }
    }
    ObjectNode defs = schema.putObject("$defs");
    for (String key : context.used) {
      defs.set(definitionNames.get(key), definitions.get(key));
    }
  }

  private ObjectNode object(List<Property> properties, Context context) {
    ObjectNode schema = JSON.objectNode();
    schema.put("type", "object");
    ObjectNode props = schema.putObject("properties");
    ArrayNode required = JSON.arrayNode();
    for (Property property : properties) {
      ObjectNode value = write(property.shape(), context);
      if (property.optional() && context.strict) {
        value = nullable(value);
      }
      if (!property.description().isEmpty()) {
        value.put("description", property.description());
      }
      props.set(property.name(), value);
      if (context.strict || !property.optional()) {
        required.add(property.name());
      }
    }
    schema.set("required", required);
    schema.put("additionalProperties", false);
    return schema;
  }

  private ObjectNode write(Shape shape, Context context) {
    ObjectNode schema = JSON.objectNode();
    if (shape instanceof Scalar) {
      Shape.ScalarKind kind = ((Scalar) shape).kind();
      schema.put("type", kind.jsonType());
      if (kind.format() != null) {
        schema.put("format", kind.format());
      }
    } else if (shape instanceof EnumType) {
      schema.put("type", "string");
      ArrayNode constants = schema.putArray("enum");
      ((EnumType) shape).constants().forEach(constants::add);
    } else if (shape instanceof RecordType) {
      RecordType record = (RecordType) shape;
      if (definitionNames.containsKey(record.key())) {
        return reference(record.key(), context);
      }
      return object(properties(record), context);
    } else if (shape instanceof RecordRef) {
      return reference(((RecordRef) shape).key(), context);
    } else if (shape instanceof ArrayOf) {
      schema.put("type", "array");
      schema.set("items", write(((ArrayOf) shape).element(), context));
    } else if (shape instanceof MapOf) {
      schema.put("type", "object");
      schema.set("additionalProperties", write(((MapOf) shape).value(), context));
    } else if (shape instanceof OptionalOf) {
      return write(((OptionalOf) shape).value(), context);
    } else if (shape instanceof VoidType) {
      schema.put("type", "null");
    } else if (shape instanceof Unsupported) {
      throw new IllegalStateException(
          "unsupported types are rejected before schemas are written: " + shape);
    }
    return schema;
  }

  private ObjectNode reference(String key, Context context) {
    context.used.add(key);
    ObjectNode schema = JSON.objectNode();
    schema.put("$ref", "#/$defs/" + definitionNames.get(key));
    return schema;
  }

  private static ObjectNode nullable(ObjectNode schema) {
    // Plain scalars get a type union; enums, objects, arrays and references an anyOf, which is
    // what strict mode documents for them.
    boolean scalar =
        schema.path("type").isTextual()
            && !schema.has("enum")
            && !schema.has("properties")
            && !schema.has("items")
            && !schema.has("additionalProperties");
    if (scalar) {
      ArrayNode types = JSON.arrayNode().add(schema.get("type").textValue()).add("null");
      ObjectNode union = JSON.objectNode();
      union.set("type", types);
      schema
          .fields()
          .forEachRemaining(
              field -> {
                if (!field.getKey().equals("type")) {
                  union.set(field.getKey(), field.getValue());
                }
              });
      return union;
    }
    ObjectNode union = JSON.objectNode();
    union.putArray("anyOf").add(schema).add(JSON.objectNode().put("type", "null"));
    return union;
  }

  private static List<Property> properties(RecordType record) {
    List<Property> properties = new ArrayList<>();
    for (Component component : record.components()) {
      properties.add(
          new Property(
              component.name(), component.description(), component.shape(), component.optional()));
    }
    return properties;
  }

  private boolean containsMap(Shape shape, Set<String> visited) {
    if (shape instanceof MapOf) {
      return true;
    } else if (shape instanceof ArrayOf) {
      return containsMap(((ArrayOf) shape).element(), visited);
    } else if (shape instanceof OptionalOf) {
      return containsMap(((OptionalOf) shape).value(), visited);
    } else if (shape instanceof RecordRef) {
      RecordType record = records.get(((RecordRef) shape).key());
      return record != null && containsMap(record, visited);
    } else if (shape instanceof RecordType) {
      RecordType record = (RecordType) shape;
      if (!visited.add(record.key())) {
        return false;
      }
      for (Component component : record.components()) {
        if (containsMap(component.shape(), visited)) {
          return true;
        }
      }
    }
    return false;
  }

  /** What one schema (with its {@code $defs}) is being written for. */
  private static final class Context {
    final boolean strict;
    final Set<String> used = new LinkedHashSet<>();

    Context(boolean strict) {
      this.strict = strict;
    }
  }
}
