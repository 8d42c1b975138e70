package dev.llmcompiler.mcp;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.llmcompiler.runtime.internal.Json;
import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.json.jackson2.JacksonMcpJsonMapper;
import io.modelcontextprotocol.json.schema.JsonSchemaValidator;
import io.modelcontextprotocol.json.schema.jackson2.DefaultJsonSchemaValidator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Where our Jackson trees meet the SDK's JSON: the SDK's Jackson 2 module, chosen explicitly (not
 * by service loading, which would pick Jackson 3 if a user also had {@code mcp-json-jackson3}), so
 * the whole stack stays on the runtime's one Jackson line.
 */
final class McpJson {
  /**
   * The SDK's protocol mapper: a plain {@code ObjectMapper}, as the SDK's own default, not our
   * strict one.
   */
  static final McpJsonMapper MAPPER = new JacksonMcpJsonMapper(new ObjectMapper());

  /** Validates schemas and structured content with the same mapper. */
  static final JsonSchemaValidator VALIDATOR =
      new DefaultJsonSchemaValidator(((JacksonMcpJsonMapper) MAPPER).getObjectMapper());

  private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {};

  private McpJson() {}

  /** A schema as the SDK holds it: a map of plain Java values. */
  static Map<String, Object> toMap(JsonNode schema) {
    return Json.MAPPER.convertValue(schema, MAP);
  }

  /**
   * Arguments as the SDK sends them: the map's values are the tree's own nodes, which the SDK's
   * Jackson mapper writes exactly (a {@code 0.10} stays {@code 0.10}, no detour through double).
   */
  static Map<String, Object> arguments(ObjectNode arguments) {
    Map<String, Object> map = new LinkedHashMap<>();
    if (arguments != null) {
      arguments.fields().forEachRemaining(field -> map.put(field.getKey(), field.getValue()));
    }
    return map;
  }

  /** Anything the SDK deserialized (maps, lists, records of its schema) as one of our trees. */
  static JsonNode toTree(Object value) {
    return ((JacksonMcpJsonMapper) MAPPER).getObjectMapper().valueToTree(value);
  }

  /** Arguments the SDK received, as the object node a {@code ToolSet} takes. */
  static ObjectNode toObjectNode(Map<String, Object> arguments) {
    if (arguments == null) {
      return Json.object();
    }
    JsonNode tree = Json.MAPPER.valueToTree(arguments);
    return tree.isObject() ? (ObjectNode) tree : Json.object();
  }
}
