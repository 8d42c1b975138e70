package dev.llmcompiler.opentelemetry;

import static io.opentelemetry.api.common.AttributeKey.doubleKey;
import static io.opentelemetry.api.common.AttributeKey.longArrayKey;
import static io.opentelemetry.api.common.AttributeKey.longKey;
import static io.opentelemetry.api.common.AttributeKey.stringArrayKey;
import static io.opentelemetry.api.common.AttributeKey.stringKey;

import io.opentelemetry.api.common.AttributeKey;
import java.util.List;

/**
 * The attribute keys and values this module writes: those of the OpenTelemetry GenAI semantic
 * conventions (see {@link LlmCompilerTelemetry} for the version), and a few of our own under {@code
 * llmcompiler.}. Kept here rather than taken from the incubating semconv artifact, so the module
 * depends on the API alone.
 */
final class GenAi {
  static final AttributeKey<String> OPERATION_NAME = stringKey("gen_ai.operation.name");
  static final AttributeKey<String> PROVIDER_NAME = stringKey("gen_ai.provider.name");
  static final AttributeKey<String> AGENT_NAME = stringKey("gen_ai.agent.name");
  static final AttributeKey<String> REQUEST_MODEL = stringKey("gen_ai.request.model");
  static final AttributeKey<Double> REQUEST_TEMPERATURE = doubleKey("gen_ai.request.temperature");
  static final AttributeKey<Long> REQUEST_MAX_TOKENS = longKey("gen_ai.request.max_tokens");
  static final AttributeKey<List<String>> REQUEST_STOP_SEQUENCES =
      stringArrayKey("gen_ai.request.stop_sequences");
  static final AttributeKey<List<String>> RESPONSE_FINISH_REASONS =
      stringArrayKey("gen_ai.response.finish_reasons");
  static final AttributeKey<Long> USAGE_INPUT_TOKENS = longKey("gen_ai.usage.input_tokens");
  static final AttributeKey<Long> USAGE_OUTPUT_TOKENS = longKey("gen_ai.usage.output_tokens");
  static final AttributeKey<Long> USAGE_CACHE_READ_INPUT_TOKENS =
      longKey("gen_ai.usage.cache_read.input_tokens");
  static final AttributeKey<String> SYSTEM_INSTRUCTIONS = stringKey("gen_ai.system_instructions");
  static final AttributeKey<String> INPUT_MESSAGES = stringKey("gen_ai.input.messages");
  static final AttributeKey<String> OUTPUT_MESSAGES = stringKey("gen_ai.output.messages");
  static final AttributeKey<String> TOOL_NAME = stringKey("gen_ai.tool.name");
  static final AttributeKey<String> TOOL_CALL_ID = stringKey("gen_ai.tool.call.id");
  static final AttributeKey<String> TOOL_TYPE = stringKey("gen_ai.tool.type");
  static final AttributeKey<String> TOOL_CALL_ARGUMENTS = stringKey("gen_ai.tool.call.arguments");
  static final AttributeKey<String> TOOL_CALL_RESULT = stringKey("gen_ai.tool.call.result");
  static final AttributeKey<String> ERROR_TYPE = stringKey("error.type");

  static final String INVOKE_AGENT = "invoke_agent";
  static final String PLAN = "plan";
  static final String CHAT = "chat";
  static final String EXECUTE_TOOL = "execute_tool";

  /** Our tools run in the application, called with arguments the model wrote: "function" tools. */
  static final String FUNCTION = "function";

  /** The conventions' fallback error type. */
  static final String OTHER_ERROR = "_OTHER";

  static final AttributeKey<String> RUN_OUTCOME = stringKey("llmcompiler.run.outcome");
  static final AttributeKey<Long> ROUND = longKey("llmcompiler.round");
  static final AttributeKey<String> ROUND_DECISION = stringKey("llmcompiler.round.decision");
  static final AttributeKey<String> LLM_CALL_PURPOSE = stringKey("llmcompiler.llm_call.purpose");
  static final AttributeKey<String> TASK_STATUS = stringKey("llmcompiler.task.status");
  static final AttributeKey<String> TASK_SKIP_REASON = stringKey("llmcompiler.task.skip_reason");
  static final AttributeKey<List<Long>> TASK_DEPENDS_ON =
      longArrayKey("llmcompiler.task.depends_on");

  private GenAi() {}
}
