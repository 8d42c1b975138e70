package dev.llmcompiler.processor.writing;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.llmcompiler.processor.model.ToolClass;
import dev.llmcompiler.processor.model.ToolMethod;
import dev.llmcompiler.processor.model.ToolParameter;
import dev.llmcompiler.processor.prompt.SignatureWriter;
import dev.llmcompiler.processor.schema.Property;
import dev.llmcompiler.processor.schema.SchemaWriter;
import dev.llmcompiler.runtime.ToolDescriptor;
import java.util.ArrayList;
import java.util.List;

/**
 * A tool with everything the writers need: its schemas, strictness and prompt signature.
 *
 * @param method the tool as read from source
 * @param parameters the parameters' object schema
 * @param returns the result's schema
 * @param strict whether {@code parameters} follows OpenAI strict mode
 * @param signature the prompt line
 */
public record CompiledTool(
    ToolMethod method,
    ObjectNode parameters,
    ObjectNode returns,
    boolean strict,
    String signature) {

  /** Compiles every tool of a class that passed validation. */
  public static List<CompiledTool> of(ToolClass toolClass) {
    SchemaWriter schemas = new SchemaWriter(toolClass.records(), toolClass.recursive());
    SignatureWriter signatures = new SignatureWriter(toolClass.records(), toolClass.recursive());
    List<CompiledTool> compiled = new ArrayList<>();
    for (ToolMethod tool : toolClass.tools()) {
      List<Property> properties = new ArrayList<>();
      for (ToolParameter parameter : tool.parameters()) {
        properties.add(
            new Property(
                parameter.name(),
                parameter.description(),
                parameter.shape(),
                parameter.optional()));
      }
      boolean strict = schemas.strictPossible(properties);
      compiled.add(
          new CompiledTool(
              tool,
              schemas.parameters(properties, strict),
              schemas.result(tool.result(), tool.nullableResult()),
              strict,
              signatures.signature(tool.name(), properties, tool.result(), tool.nullableResult())));
    }
    return List.copyOf(compiled);
  }

  /** The runtime's descriptor of this tool, the same the generated tool set builds. */
  public ToolDescriptor descriptor() {
    return ToolDescriptor.builder()
        .name(method.name())
        .description(method.description())
        .parameters(parameters)
        .returns(returns)
        .signature(signature)
        .strict(strict)
        .async(method.async())
        .effect(method.effect())
        .build();
  }
}
