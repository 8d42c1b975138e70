package dev.llmcompiler.samples;

/** The demo's {@code --help} text. */
final class Help {
  /** How to leave the offline replay for a real model. */
  static final String REAL_MODEL =
      String.join(
          "\n",
          "To use a real model, set one of these and run again (no --offline):",
          "  OpenAI:              export OPENAI_API_KEY=sk-...            (OPENAI_MODEL defaults to gpt-4o-mini)",
          "  Ollama:              export OPENAI_BASE_URL=http://localhost:11434/v1 OPENAI_MODEL=qwen2.5:7b-instruct",
          "  vLLM:                export OPENAI_BASE_URL=http://localhost:8000/v1 OPENAI_MODEL=<served model>",
          "  llama.cpp server:    export OPENAI_BASE_URL=http://localhost:8080/v1",
          "");

  private Help() {}

  static String text() {
    StringBuilder help =
        new StringBuilder(
            String.join(
                "\n",
                "Usage: java -jar samples/target/llmcompiler-samples.jar [options] [question]",
                "",
                "Answers a question with LLMCompiler: the model plans tool calls, the calls run in parallel as",
                "soon as the plan streams in, and a joiner writes the answer. Shows the tasks while they run,",
                "then a timeline and what a sequential run would have cost. Without a question it answers:",
                "  " + DemoQuestions.SEED,
                "",
                "Options:",
                "  --offline               Use the offline demo model even if OPENAI_* variables are set.",
                "  --react                 Run the ReAct baseline (one tool call per LLM turn) on the same tools,",
                "                          for comparison.",
                "  --trace-json FILE       Write the run's trace (tasks, arguments, results, times) as JSON.",
                "  --trace-chrome FILE     Write the run as a Chrome trace: open it in https://ui.perfetto.dev",
                "                          or chrome://tracing to see model calls and tasks on their rows.",
                "  --tool-latency-ms N     Simulated latency of each search, 0 to 60000 ms (default 400).",
                "  --plain                 Print progress one line per event, even on a terminal.",
                "  --approve               Ask at the console (y/N) before each call that changes data, such as",
                "                          pay; no answer denies it.",
                "  -h, --help              Show this help.",
                "  --                      End of options: everything after it is the question.",
                "",
                "Model selection:",
                "  With OPENAI_API_KEY or OPENAI_BASE_URL set, the demo asks that OpenAI-compatible endpoint:",
                "    OPENAI_API_KEY        the API key (a local server needs none)",
                "    OPENAI_BASE_URL       the endpoint, default https://api.openai.com/v1",
                "    OPENAI_MODEL          the model, default gpt-4o-mini",
                "  With neither (or --offline) it uses the offline demo model: a replay of recorded plans and",
                "  answers (computed from the real tool results) for these questions:"));
    help.append(ReplayLlm.knownQuestions())
        .append("\n\n")
        .append(REAL_MODEL)
        .append(
            String.join(
                "\n",
                "",
                "Tools:",
                "  search(query)           a bundled offline encyclopedia of "
                    + new Encyclopedia(java.time.Duration.ZERO).titles().size()
                    + " entries (companies and market caps,",
                "                          magazines, films, people, ocean trenches, mountains, countries)",
                "  math(expression)        arithmetic, evaluated by the EvalEx library",
                "  convert(amount, to)     currency conversion of a {amount, currency} record at fixed demo rates",
                "  pay(amount, payee)      a pretend payment that books a receipt: it changes data, so it runs at",
                "                          most once per question, and --approve asks you first",
                "",
                "Examples:",
                "  java -jar samples/target/llmcompiler-samples.jar",
                "  java -jar samples/target/llmcompiler-samples.jar --react",
                "  java -jar samples/target/llmcompiler-samples.jar --approve \""
                    + DemoQuestions.PAYMENT
                    + "\"",
                "  java -jar samples/target/llmcompiler-samples.jar --trace-json trace.json \\",
                "      \"Which magazine was started first, Arthur's Magazine or First for Women?\"",
                "  OPENAI_BASE_URL=http://localhost:11434/v1 OPENAI_MODEL=qwen2.5:7b-instruct \\",
                "      java -jar samples/target/llmcompiler-samples.jar \"How deep is the Tonga Trench in km?\"",
                "",
                "MCP server:",
                "  java -jar samples/target/llmcompiler-samples.jar mcp",
                "                          serves search, math and convert to MCP clients over stdio",
                "",
                "Exit codes: 0 answered, 1 the run failed, 2 bad arguments.",
                ""));
    return help.toString();
  }
}
