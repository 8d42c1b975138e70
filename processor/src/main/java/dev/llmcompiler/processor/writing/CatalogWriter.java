package dev.llmcompiler.processor.writing;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.Separators;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.llmcompiler.processor.model.ToolClass;
import java.util.List;
import java.util.Locale;

/**
 * Writes the tool catalog resource {@code META-INF/llmcompiler/<binary class name>.json}: {@code
 * {"tools":[{"name", "description", "parameters", "returns", "strict", "signature", "effect"}]}},
 * the effect as its constant's name in lower case ({@code "read_only"}), tools in source order,
 * keys in that order, pretty-printed with two spaces and {@code \n} line ends on every platform, so
 * the bytes are the same on every build.
 */
public final class CatalogWriter {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final ObjectWriter PRETTY =
      JSON.writer(
          new DefaultPrettyPrinter()
              .withSeparators(
                  Separators.createDefaultInstance()
                      .withObjectFieldValueSpacing(Separators.Spacing.AFTER))
              .withObjectIndenter(new DefaultIndenter("  ", "\n"))
              .withArrayIndenter(new DefaultIndenter("  ", "\n")));

  private CatalogWriter() {}

  /** The resource path of a class's catalog. */
  public static String path(ToolClass toolClass) {
    return "META-INF/llmcompiler/" + toolClass.binaryName() + ".json";
  }

  /** The catalog's text. */
  public static String catalog(List<CompiledTool> tools) {
    ObjectNode root = JSON.createObjectNode();
    ArrayNode entries = root.putArray("tools");
    for (CompiledTool tool : tools) {
      ObjectNode entry = entries.addObject();
      entry.put("name", tool.method().name());
      entry.put("description", tool.method().description());
      entry.set("parameters", tool.parameters());
      entry.set("returns", tool.returns());
      entry.put("strict", tool.strict());
      entry.put("signature", tool.signature());
      entry.put("effect", tool.method().effect().name().toLowerCase(Locale.ROOT));
    }
    try {
      return PRETTY.writeValueAsString(root) + "\n";
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a tree of plain nodes always serializes", e);
    }
  }

  /** Compact JSON text of a schema, for the constants of generated code. */
  static String compact(ObjectNode schema) {
    return schema.toString();
  }
}
