package dev.llmcompiler.processor.validation;

import javax.tools.Diagnostic;

/**
 * Every diagnostic the processor emits, in one place: a stable id users can search for, a kind, and
 * a text that states the rule, what was found and the fix.
 */
public enum Message {
  NOT_PUBLIC(
      Diagnostic.Kind.ERROR,
      "LlmcNotPublic",
      "@Tool methods must be public so the generated %s can call them, but %s is %s. Make the method public."),
  CLASS_NOT_ACCESSIBLE(
      Diagnostic.Kind.ERROR,
      "LlmcClassNotAccessible",
      "@Tool methods must be declared in a class the generated code can reach, but %s is %s. Make it public or"
          + " package-private."),
  LOCAL_CLASS(
      Diagnostic.Kind.ERROR,
      "LlmcLocalClass",
      "@Tool methods cannot be declared in a local or anonymous class: no tool set can be generated for it, so the"
          + " tool would silently never exist. Move the method to a top-level or static nested class."),
  GENERIC_CLASS(
      Diagnostic.Kind.ERROR,
      "LlmcGenericClass",
      "@Tool methods must be declared in a non-generic class, but %s has type parameters %s. Move the tools to a"
          + " class without type parameters."),
  GENERIC_METHOD(
      Diagnostic.Kind.ERROR,
      "LlmcGenericMethod",
      "@Tool methods cannot be generic: the LLM sends plain JSON, so the type parameters %s of %s cannot be"
          + " known. Replace them with concrete types."),
  INVALID_NAME(
      Diagnostic.Kind.ERROR,
      "LlmcInvalidToolName",
      "Tool names must match ^[a-zA-Z0-9_-]{1,64}$, but \"%s\" does not. Use 1 to 64 letters, digits, '_' or '-'."),
  RESERVED_NAME(
      Diagnostic.Kind.ERROR,
      "LlmcReservedToolName",
      "The tool name \"join\" is reserved: join() ends a plan. Give the tool another name, e.g."
          + " @Tool(name = \"join_text\")."),
  DUPLICATE_NAME(
      Diagnostic.Kind.ERROR,
      "LlmcDuplicateToolName",
      "Tool names must be unique within a class, but \"%s\" names both %s and %s%s; the planner calls tools by"
          + " name alone. Give one of them another name with @Tool(name = \"...\")."),
  UNSUPPORTED_TYPE(
      Diagnostic.Kind.ERROR,
      "LlmcUnsupportedType",
      "%s has type %s, which cannot be mapped to JSON Schema: %s"),
  PARAM_WITHOUT_TOOL(
      Diagnostic.Kind.ERROR,
      "LlmcParamWithoutTool",
      "@Param describes parameters of @Tool methods only, but %s is not annotated @Tool. Annotate the method with"
          + " @Tool or remove @Param."),
  CHECKED_EXCEPTION(
      Diagnostic.Kind.WARNING,
      "LlmcCheckedException",
      "Tool \"%s\" declares the checked exception(s) %s; when thrown, they are reported to the LLM as the task's"
          + " error, not to your code. If that is intended, add @SuppressWarnings(\"llmcompiler\")."),
  MISSING_TOOL_DESCRIPTION(
      Diagnostic.Kind.WARNING,
      "LlmcMissingDescription",
      "Tool \"%s\" has no description, so the LLM must guess what it does from its name. Add a Javadoc comment or"
          + " @Tool(description = \"...\"), or @SuppressWarnings(\"llmcompiler\") to silence this."),
  MISSING_PARAMETER_DESCRIPTION(
      Diagnostic.Kind.WARNING,
      "LlmcMissingDescription",
      "Parameter '%s' of tool \"%s\" has no description. Add a Javadoc @param line or @Param(description ="
          + " \"...\"), or @SuppressWarnings(\"llmcompiler\") to silence this."),
  MISSING_COMPONENT_DESCRIPTION(
      Diagnostic.Kind.WARNING,
      "LlmcMissingDescription",
      "Component '%s' of record %s (used by tool \"%s\") has no description. Add a \"@param %s ...\" line to the"
          + " record's Javadoc, or @SuppressWarnings(\"llmcompiler\") to silence this."),
  NOT_STRICT(
      Diagnostic.Kind.WARNING,
      "LlmcNotStrict",
      "Tool \"%s\" cannot use OpenAI strict mode because %s (a Map: its keys are not known in advance), so its"
          + " catalog entry says \"strict\": false. Use a record or a List of records to keep strict mode, or add"
          + " @SuppressWarnings(\"llmcompiler\") to silence this."),
  READ_ONLY_VOID(
      Diagnostic.Kind.WARNING,
      "LlmcEffectMismatch",
      "Tool \"%s\" is declared READ_ONLY but returns nothing: a tool that changes nothing and returns nothing"
          + " does nothing the planner can use. Return what it reads, or declare the effect it has (e.g."
          + " @Tool(effect = Effect.IDEMPOTENT)); if it only checks and throws, add"
          + " @SuppressWarnings(\"llmcompiler\")."),
  GENERATED_NAME_TAKEN(
      Diagnostic.Kind.ERROR,
      "LlmcGeneratedNameTaken",
      "The tool set of %s cannot be written: %s. The tool set of p.Foo is p.FooTools (p.Outer_InnerTools for"
          + " nested classes); rename the existing type of that name, or the tool class."),
  AGENT_NOT_INTERFACE(
      Diagnostic.Kind.ERROR,
      "LlmcAgentNotInterface",
      "@Agent must annotate an interface, whose methods the processor implements, but %s is %s. Declare it as an"
          + " interface."),
  AGENT_NOT_ACCESSIBLE(
      Diagnostic.Kind.ERROR,
      "LlmcAgentNotAccessible",
      "@Agent interfaces must be reachable from the generated %s, but %s. Make it a public or package-private"
          + " top-level or nested interface."),
  AGENT_GENERIC(
      Diagnostic.Kind.ERROR,
      "LlmcAgentGeneric",
      "@Agent interfaces cannot be generic: the answer types must be known at build time, but %s has type"
          + " parameters %s. Remove them and use concrete types."),
  AGENT_GENERIC_METHOD(
      Diagnostic.Kind.ERROR,
      "LlmcAgentGenericMethod",
      "Agent methods cannot be generic: the answer's schema must be known at build time, but %s has type"
          + " parameters %s. Use concrete types."),
  AGENT_QUESTION(
      Diagnostic.Kind.ERROR,
      "LlmcAgentQuestion",
      "The first parameter of an agent method is the question and must be a String, but %s %s. Declare it as"
          + " e.g. %s(String question, ...)."),
  AGENT_CONTEXT_TYPE(
      Diagnostic.Kind.ERROR,
      "LlmcAgentContextType",
      "Context parameter '%s' of %s has type %s, which cannot be written into the question as JSON: %s"),
  AGENT_RETURN(
      Diagnostic.Kind.ERROR,
      "LlmcAgentReturn",
      "%s returns %s, which cannot be an agent's answer: %s"),
  AGENT_TOOLS_WITHOUT_TOOLS(
      Diagnostic.Kind.ERROR,
      "LlmcAgentToolsWithoutTools",
      "@Agent(tools) lists the classes whose @Tool methods the agent uses, but %s has no @Tool methods. Remove it"
          + " from tools, or annotate its methods with @Tool."),
  PLAN_EXAMPLE_MISPLACED(
      Diagnostic.Kind.ERROR,
      "LlmcPlanExampleMisplaced",
      "@PlanExample belongs on a class with @Tool methods or on an @Agent interface, whose tools its plan may call,"
          + " but %s is neither. Move the example there."),
  PLAN_EXAMPLE_WITHOUT_TOOLS(
      Diagnostic.Kind.ERROR,
      "LlmcPlanExampleWithoutTools",
      "The @PlanExample of agent %s cannot be checked: its plan calls tools, but @Agent(tools = ...) lists none."
          + " List the classes whose tools the plan calls, e.g. @Agent(tools = SearchService.class)."),
  PLAN_EXAMPLE_QUESTION(
      Diagnostic.Kind.ERROR,
      "LlmcPlanExampleQuestion",
      "@PlanExample needs a question the plan answers, but its question is empty. Write the question, e.g."
          + " question = \"How much larger is Germany than France?\"."),
  PLAN_EXAMPLE_INVALID(
      Diagnostic.Kind.ERROR,
      "LlmcInvalidPlanExample",
      "The plan of @PlanExample \"%s\" is wrong at plan line %d `%s`: %s Examples teach the planner, so each must"
          + " be a plan that would run with the tools of %s (%s)."),
  PLAN_EXAMPLE_NO_JOIN(
      Diagnostic.Kind.ERROR,
      "LlmcInvalidPlanExample",
      "The plan of @PlanExample \"%s\" %s. A plan ends with a join() task on its own last line, e.g. `%d. join()`."),
  INTERNAL_ERROR(
      Diagnostic.Kind.ERROR,
      "LlmcInternalError",
      "The LLMCompiler processor failed on %s; this is a bug, please report it with this stack trace:%n%s");

  private final Diagnostic.Kind kind;
  private final String id;
  private final String template;

  Message(Diagnostic.Kind kind, String id, String template) {
    this.kind = kind;
    this.id = id;
    this.template = template;
  }

  /** Whether this is an error or a warning. */
  public Diagnostic.Kind kind() {
    return kind;
  }

  /** The stable id, e.g. {@code LlmcUnsupportedType}. */
  public String id() {
    return id;
  }

  /** The full text with its id prefix, e.g. {@code [LlmcUnsupportedType] ...}. */
  public String format(Object... arguments) {
    return "[" + id + "] " + String.format(java.util.Locale.ROOT, template, arguments);
  }
}
