package dev.llmcompiler.samples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs the built demo jar as its own process, as a user would, with a clean OPENAI_* environment.
 */
final class JarRunner {
  /** What a run printed and how it exited. */
  record Result(int exitCode, String stdout, String stderr) {}

  private JarRunner() {}

  static Path jar() {
    String property = System.getProperty("samples.jar");
    assertThat(property).as("the samples.jar system property (set by failsafe)").isNotNull();
    Path jar = Path.of(property);
    assertThat(jar).as("the demo jar; run `mvn verify`, which packages it first").exists();
    return jar;
  }

  /** Runs {@code java -jar llmcompiler-samples.jar args...}. */
  static Result run(Map<String, String> env, Duration timeout, String... args)
      throws IOException, InterruptedException {
    List<String> javaArgs = new ArrayList<>(List.of("-jar", jar().toString()));
    javaArgs.addAll(List.of(args));
    return java(env, timeout, javaArgs);
  }

  /** Runs {@code java javaArgs...}, e.g. another main class of the jar. */
  static Result java(Map<String, String> env, Duration timeout, List<String> javaArgs)
      throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(javaArgs);
    Path out = Files.createTempFile("samples-out", ".txt");
    Path err = Files.createTempFile("samples-err", ".txt");
    try {
      ProcessBuilder builder =
          new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile());
      builder.environment().keySet().removeIf(name -> name.startsWith("OPENAI_"));
      builder.environment().putAll(env);
      Process process = builder.start();
      if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        throw new AssertionError(
            "the demo jar did not finish within "
                + timeout
                + "; it printed:\n"
                + Files.readString(out, StandardCharsets.UTF_8)
                + Files.readString(err, StandardCharsets.UTF_8));
      }
      return new Result(
          process.exitValue(),
          Files.readString(out, StandardCharsets.UTF_8),
          Files.readString(err, StandardCharsets.UTF_8));
    } finally {
      Files.deleteIfExists(out);
      Files.deleteIfExists(err);
    }
  }
}
