package dev.llmcompiler.benchmarks;

import dev.llmcompiler.openai.OpenAiLlm;
import dev.llmcompiler.runtime.llm.LlmMessage;
import dev.llmcompiler.runtime.llm.LlmRequest;
import dev.llmcompiler.testkit.ScriptedOpenAiServer;
import dev.llmcompiler.testkit.ScriptedResponse;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The first model call in a fresh JVM, without and with {@link OpenAiLlm#warmUp()} before it.
 *
 * <p>Every probe is a new {@code java} process on this JVM's classpath that builds an {@code
 * OpenAiLlm}, optionally warms it up, makes one first call, then a few warm calls, and reports the
 * times. The added latency of the first call is its time minus the median warm call of the same
 * process. A second client's first call at the end shows what a new connection costs in a warm JVM,
 * the floor for any first call.
 *
 * <p>The simulated LLM runs in its own process, warmed up before the probes, so the probes' figures
 * hold only the client's cold start. Its HTTP server sends every write at once ({@code
 * sun.net.httpserver.nodelay}): otherwise Nagle's algorithm meets delayed ACKs on a reused
 * connection and adds about 40 ms to warm calls, but not to a first call on a new connection.
 */
final class FirstCallBenchmark {
  static final String COLD = "no warm-up";
  static final String WARMED = "warmUp() first";
  static final List<String> MODES = List.of(COLD, WARMED);

  /** The goal: after warm-up, the first call within this many ms of a warm call. */
  static final double TARGET_MS = 50;

  /** Fresh JVMs per mode in a full run, and in a smoke run. */
  static final int REPEATS = 5;

  static final int SMOKE_REPEATS = 1;

  /** Warm calls per JVM in a full run. */
  static final int WARM_CALLS = 10;

  private static final int SERVER_SELF_WARM_REQUESTS = 20;
  private static final long PROCESS_TIMEOUT_SECONDS = 120;
  private static final LlmRequest REQUEST =
      LlmRequest.builder()
          .system("You are a planner. Write a plan, then <END_OF_PLAN>.")
          .addMessage(LlmMessage.user("Question: how much bigger is Microsoft than Apple?"))
          .stop(List.of("<END_OF_PLAN>"))
          .temperature(0)
          .build();

  /**
   * One fresh JVM.
   *
   * @param mode {@link #COLD} or {@link #WARMED}
   * @param repeat which repeat, from 0
   * @param buildMs {@code OpenAiLlm.builder()...build()}
   * @param warmUpMs {@code warmUp().join()}, NaN without warm-up
   * @param firstCallMs the first {@code chat} call, from the call to the completed response
   * @param warmCallMs the median of the warm calls that followed
   * @param firstCallClasses classes the JVM loaded during the first call
   * @param newClientFirstCallMs afterwards, the first call of a second client in the same, now
   *     warm, JVM: what a first call costs for its new connection alone
   */
  record Probe(
      String mode,
      int repeat,
      double buildMs,
      double warmUpMs,
      double firstCallMs,
      double warmCallMs,
      long firstCallClasses,
      double newClientFirstCallMs) {
    double addedMs() {
      return firstCallMs - warmCallMs;
    }
  }

  /**
   * The outcome.
   *
   * @param probes every fresh JVM, in the order run
   * @param warmCalls warm calls per JVM
   * @param serverRequests requests the simulated LLM received from the probes
   */
  record Result(List<Probe> probes, int warmCalls, int serverRequests) {
    List<Probe> of(String mode) {
      return probes.stream().filter(p -> p.mode().equals(mode)).toList();
    }

    Stats stat(String mode, java.util.function.ToDoubleFunction<Probe> value) {
      List<Double> values = new ArrayList<>();
      of(mode).forEach(p -> values.add(value.applyAsDouble(p)));
      return Stats.of(values);
    }

    Stats added(String mode) {
      return stat(mode, Probe::addedMs);
    }

    /**
     * What the probes should have sent: the first, warm and second-client calls; warm-ups send
     * nothing.
     */
    int expectedServerRequests() {
      return probes.size() * (2 + warmCalls);
    }
  }

  private FirstCallBenchmark() {}

  /**
   * Runs only this part ({@code [repeats]}, default 5), or, as a child process, the simulated LLM
   * ({@code serve}) or one probe ({@code probe BASE_URL cold|warm WARM_CALLS}).
   */
  public static void main(String[] args) throws Exception {
    if (args.length > 0 && args[0].equals("serve")) {
      serve();
    } else if (args.length > 0 && args[0].equals("probe")) {
      probe(args[1], args[2].equals("warm"), Integer.parseInt(args[3]));
    } else {
      Result result =
          run(
              args.length > 0 ? Integer.parseInt(args[0]) : REPEATS,
              WARM_CALLS,
              System.out::println);
      for (String mode : MODES) {
        System.out.println(mode + ": added " + Report.range(result.added(mode), 1) + " ms");
      }
    }
    System.exit(0);
  }

  /**
   * Runs {@code repeats} fresh JVMs per mode (alternating which mode goes first), each with {@code
   * warmCalls}.
   */
  static Result run(int repeats, int warmCalls, Consumer<String> log) throws Exception {
    Process server = start(List.of("-Dsun.net.httpserver.nodelay=true"), List.of("serve"));
    try {
      BufferedReader serverOut =
          new BufferedReader(
              new InputStreamReader(server.getInputStream(), StandardCharsets.UTF_8));
      String baseUrl = expectLine(serverOut, "READY ", server).substring("READY ".length());
      List<Probe> probes = new ArrayList<>();
      for (int r = 0; r < repeats; r++) {
        List<String> order = r % 2 == 0 ? MODES : List.of(WARMED, COLD);
        for (String mode : order) {
          Probe p = probe(baseUrl, mode, r, warmCalls);
          probes.add(p);
          log.accept(
              String.format(
                  Locale.ROOT,
                  "first call: repeat %d/%d, %s: first %.1f ms, warm %.1f ms,"
                      + " added %.1f ms, %d classes loaded by the first call; a second client's first call %.1f ms",
                  r + 1,
                  repeats,
                  mode,
                  p.firstCallMs(),
                  p.warmCallMs(),
                  p.addedMs(),
                  p.firstCallClasses(),
                  p.newClientFirstCallMs()));
        }
      }
      server.getOutputStream().close(); // the server's signal to report and stop
      String requests = expectLine(serverOut, "REQUESTS ", server).substring("REQUESTS ".length());
      return new Result(probes, warmCalls, Integer.parseInt(requests.trim()));
    } finally {
      server.destroy();
      server.waitFor(10, TimeUnit.SECONDS);
    }
  }

  private static Probe probe(String baseUrl, String mode, int repeat, int warmCalls)
      throws Exception {
    Path output = Files.createTempFile("llmcompiler-first-call", ".txt");
    try {
      ProcessBuilder builder =
          command(
              List.of(),
              List.of(
                  "probe",
                  baseUrl,
                  mode.equals(WARMED) ? "warm" : "cold",
                  Integer.toString(warmCalls)));
      Process process = builder.redirectErrorStream(true).redirectOutput(output.toFile()).start();
      if (!process.waitFor(PROCESS_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new IllegalStateException(
            "A first-call probe did not finish within "
                + PROCESS_TIMEOUT_SECONDS
                + " s; its output:\n"
                + Files.readString(output));
      }
      String text = Files.readString(output);
      String line =
          text.lines()
              .filter(l -> l.startsWith("RESULT "))
              .findFirst()
              .orElseThrow(
                  () ->
                      new IllegalStateException(
                          "A first-call probe exited with "
                              + process.exitValue()
                              + " and no RESULT line; its output:\n"
                              + text));
      Map<String, String> values = new LinkedHashMap<>();
      for (String pair : line.substring("RESULT ".length()).trim().split(" ")) {
        values.put(pair.substring(0, pair.indexOf('=')), pair.substring(pair.indexOf('=') + 1));
      }
      return new Probe(
          mode,
          repeat,
          Double.parseDouble(values.get("build")),
          Double.parseDouble(values.get("warmUp")),
          Double.parseDouble(values.get("first")),
          Double.parseDouble(values.get("warm")),
          Long.parseLong(values.get("classes")),
          Double.parseDouble(values.get("newClient")));
    } finally {
      Files.deleteIfExists(output);
    }
  }

  // ---- child processes

  /**
   * The simulated LLM: warms itself up, prints {@code READY url}, serves until stdin closes, prints
   * the count.
   */
  private static void serve() throws Exception {
    try (ScriptedOpenAiServer server =
        ScriptedOpenAiServer.start(
            request ->
                ScriptedResponse.stream(
                        "1. search(\"Microsoft market cap\")\n", "2. join()", "<END_OF_PLAN>")
                    .usage(120, 20))) {
      HttpClient client = HttpClient.newHttpClient();
      HttpRequest request =
          HttpRequest.newBuilder(URI.create(server.baseUrl() + "/chat/completions"))
              .POST(
                  HttpRequest.BodyPublishers.ofString(
                      "{\"model\":\"m\",\"stream\":true,\"stream_options\":"
                          + "{\"include_usage\":true},\"messages\":[{\"role\":\"user\",\"content\":\"warm up\"}]}"))
              .build();
      for (int i = 0; i < SERVER_SELF_WARM_REQUESTS; i++) {
        client.send(request, HttpResponse.BodyHandlers.ofString());
      }
      System.out.println("READY " + server.baseUrl());
      System.out.flush();
      while (System.in.read() != -1) {
        // Wait for the parent to close stdin.
      }
      System.out.println("REQUESTS " + (server.requestCount() - SERVER_SELF_WARM_REQUESTS));
      System.out.flush();
    }
  }

  /** One fresh JVM's measurement, printed as {@code RESULT key=value ...}. */
  private static void probe(String baseUrl, boolean warm, int warmCalls) throws Exception {
    long start = System.nanoTime();
    try (OpenAiLlm llm = OpenAiLlm.builder().baseUrl(baseUrl).build()) {
      double build = millisSince(start);
      double warmUp = Double.NaN;
      if (warm) {
        start = System.nanoTime();
        llm.warmUp().join();
        warmUp = millisSince(start);
      }
      long classes = ManagementFactory.getClassLoadingMXBean().getTotalLoadedClassCount();
      start = System.nanoTime();
      call(llm);
      double first = millisSince(start);
      classes = ManagementFactory.getClassLoadingMXBean().getTotalLoadedClassCount() - classes;
      List<Double> warmTimes = new ArrayList<>();
      for (int i = 0; i < warmCalls; i++) {
        start = System.nanoTime();
        call(llm);
        warmTimes.add(millisSince(start));
      }
      double newClient;
      try (OpenAiLlm second = OpenAiLlm.builder().baseUrl(baseUrl).build()) {
        start = System.nanoTime();
        call(second);
        newClient = millisSince(start);
      }
      System.out.printf(
          Locale.ROOT,
          "RESULT build=%.3f warmUp=%.3f first=%.3f warm=%.3f classes=%d newClient=%.3f%n",
          build,
          warmUp,
          first,
          Stats.of(warmTimes).median(),
          classes,
          newClient);
    }
  }

  private static void call(OpenAiLlm llm) {
    String text = llm.chat(REQUEST, delta -> {}).join().text();
    if (!text.endsWith("join()")) {
      throw new IllegalStateException("Unexpected answer from the simulated LLM: " + text);
    }
  }

  private static double millisSince(long start) {
    return (System.nanoTime() - start) / 1e6;
  }

  private static Process start(List<String> jvmOptions, List<String> args) throws IOException {
    return command(jvmOptions, args).redirectError(ProcessBuilder.Redirect.INHERIT).start();
  }

  private static ProcessBuilder command(List<String> jvmOptions, List<String> args) {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(jvmOptions);
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(FirstCallBenchmark.class.getName());
    command.addAll(args);
    return new ProcessBuilder(command);
  }

  private static String expectLine(BufferedReader out, String prefix, Process process)
      throws Exception {
    CompletableFuture<String> line =
        CompletableFuture.supplyAsync(
            () -> {
              try {
                for (String l = out.readLine(); l != null; l = out.readLine()) {
                  if (l.startsWith(prefix)) {
                    return l;
                  }
                }
                return null;
              } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
              }
            });
    String found = line.get(PROCESS_TIMEOUT_SECONDS, TimeUnit.SECONDS);
    if (found == null) {
      throw new IllegalStateException(
          "The simulated LLM's process ended without printing '"
              + prefix.trim()
              + "' (alive: "
              + process.isAlive()
              + "); see its error output above.");
    }
    return found;
  }
}
