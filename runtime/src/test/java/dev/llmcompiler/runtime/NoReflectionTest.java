package dev.llmcompiler.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The runtime finds and calls tools only through generated code: no reflection in its sources.
 * (Jackson binds records reflectively inside {@code ToolArguments.value}, which is data binding,
 * not finding or calling tools; a method handle that looks up a JDK factory is not covered either.)
 */
class NoReflectionTest {
  private static final Pattern REFLECTION =
      Pattern.compile(
          "java\\.lang\\.reflect|Class\\.forName|\\.getMethods?\\(|\\.getDeclaredMethods?\\("
              + "|\\.setAccessible\\(|\\.getEnumConstants\\(|\\.newInstance\\(");

  @Test
  void runtimeSourcesDoNotUseReflection() throws IOException {
    Path sources = Path.of("src/main/java");
    assertThat(sources).isDirectory();
    try (Stream<Path> files = Files.walk(sources)) {
      List<String> offenders =
          files
              .filter(file -> file.toString().endsWith(".java"))
              .filter(
                  file -> {
                    try {
                      return REFLECTION.matcher(Files.readString(file)).find();
                    } catch (IOException e) {
                      throw new java.io.UncheckedIOException(e);
                    }
                  })
              .map(Path::toString)
              .collect(Collectors.toList());
      assertThat(offenders).isEmpty();
    }
  }

  @Test
  void thePatternCatchesReflectiveCalls() {
    assertThat(REFLECTION.matcher("Method m = type.getMethod(\"search\", String.class);").find())
        .isTrue();
    assertThat(REFLECTION.matcher("import java.lang.reflect.Method;").find()).isTrue();
    assertThat(REFLECTION.matcher("tools.invoke(\"search\", args)").find()).isFalse();
  }
}
