package dev.llmcompiler.processor;

import static com.google.common.truth.Truth.assertThat;
import static com.google.testing.compile.CompilationSubject.assertThat;
import static com.google.testing.compile.Compiler.javac;

import com.google.testing.compile.Compilation;
import javax.tools.Diagnostic;
import javax.tools.JavaFileObject;
import org.junit.jupiter.api.Test;

/**
 * Every validation rule fails (or warns) on its own line, and all problems come out of one compile.
 */
class ValidationTest {

  /** A source {@code test.Sample} with the given members inside its class body. */
  private static JavaFileObject sample(String... members) {
    String[] lines = new String[members.length + 12];
    lines[0] = "package test;";
    lines[1] = "import dev.llmcompiler.annotations.Param;";
    lines[2] = "import dev.llmcompiler.annotations.Tool;";
    lines[3] = "import java.util.*;";
    lines[4] = "import java.util.concurrent.*;";
    lines[5] = "/** Sample tools. */";
    lines[6] = "public class Sample {";
    lines[7] = "  /** A record. @param a the a */";
    lines[8] = "  public record Rec(String a) {}";
    lines[9] = "  private record Hidden(String a) {}";
    lines[10] = "  public static class Bean { public String name; }";
    System.arraycopy(members, 0, lines, 11, members.length);
    lines[lines.length - 1] = "}";
    return Compiler.source("test.Sample", lines);
  }

  private static Compilation compile(JavaFileObject source) {
    return Compiler.compile(source);
  }

  private static void assertError(String message, String line, String... members) {
    JavaFileObject source = sample(members);
    Compilation compilation = compile(source);
    assertThat(compilation).failed();
    assertThat(compilation).hadErrorContaining(message).inFile(source).onLineContaining(line);
    assertThat(compilation).hadErrorCount(1);
  }

  @Test
  void privateMethod() {
    assertError(
        "[LlmcNotPublic] @Tool methods must be public so the generated SampleTools can call them, but"
            + " Sample.hidden() is private. Make the method public.",
        "String hidden(",
        "/** Hides. */ @Tool private String hidden() { return \"\"; }");
  }

  @Test
  void packagePrivateMethod() {
    assertError(
        "Sample.local() is package-private. Make the method public.",
        "String local(",
        "/** Local. */ @Tool String local() { return \"\"; }");
  }

  @Test
  void methodInPrivateClass() {
    assertError(
        "[LlmcClassNotAccessible] @Tool methods must be declared in a class the generated code can reach,"
            + " but test.Sample.Inner is private.",
        "class Inner",
        "private static class Inner {",
        "/** Tool. */ @Tool public String t() { return \"\"; } }");
  }

  // javac runs a processor only for rounds that contain its annotations outside method bodies, so
  // the
  // local-class check needs one ordinary tool in the compile (in a real project there always is
  // one).
  @Test
  void methodInLocalClass() {
    assertError(
        "[LlmcLocalClass] @Tool methods cannot be declared in a local or anonymous class",
        "String inLocal(",
        "/** Fine. */ @Tool public String fine() { return \"\"; }",
        "public void m() {",
        "  class Local { /** Tool. */ @Tool public String inLocal() { return \"\"; } }",
        "}");
  }

  @Test
  void methodInAnonymousClass() {
    assertError(
        "[LlmcLocalClass]",
        "String inAnonymous(",
        "/** Fine. */ @Tool public String fine() { return \"\"; }",
        "Object o = new Object() { /** Tool. */ @Tool public String inAnonymous() { return \"\"; } };");
  }

  @Test
  void genericMethod() {
    assertError(
        "[LlmcGenericMethod] @Tool methods cannot be generic: the LLM sends plain JSON, so the type parameters"
            + " T of Sample.echo() cannot be known. Replace them with concrete types.",
        "String echo(",
        "/** Echo. @param t the t */ @Tool public <T> String echo(String t) { return t; }");
  }

  @Test
  void genericMethodIsOneErrorThoughItsTypesUseItsTypeParameters() {
    assertError(
        "[LlmcGenericMethod] @Tool methods cannot be generic: the LLM sends plain JSON, so the type parameters"
            + " T of Sample.echo() cannot be known. Replace them with concrete types.",
        "T echo(",
        "/** Echo. */",
        "@Tool public <T> T echo(T value) { return value; }");
    assertError(
        "[LlmcGenericMethod]",
        "List<T> all(",
        "/** All. */",
        "@Tool public <T> List<T> all(List<? extends T> items, T[] more) { return new ArrayList<T>(items); }");
  }

  @Test
  void genericMethodStillReportsItsOtherUnsupportedTypes() {
    JavaFileObject source =
        sample("/** Echo. */", "@Tool public <T> T echo(T value, Object other) { return value; }");
    Compilation compilation = compile(source);
    assertThat(compilation)
        .hadErrorContaining("[LlmcGenericMethod]")
        .inFile(source)
        .onLineContaining("T echo(");
    assertThat(compilation)
        .hadErrorContaining("Parameter 'other' of tool \"echo\" has type java.lang.Object")
        .inFile(source)
        .onLineContaining("T echo(");
    assertThat(compilation).hadErrorCount(2);
  }

  @Test
  void genericClassIsOneErrorThoughToolTypesUseItsTypeParameter() {
    JavaFileObject source =
        Compiler.source(
            "test.Box",
            "package test;",
            "public class Box<T> {",
            "  /** Put. @param item the item */ @dev.llmcompiler.annotations.Tool public T put(T item) { return item; }",
            "}");
    Compilation compilation = compile(source);
    assertThat(compilation)
        .hadErrorContaining("[LlmcGenericClass]")
        .inFile(source)
        .onLineContaining("class Box");
    assertThat(compilation).hadErrorCount(1);
  }

  @Test
  void genericClass() {
    JavaFileObject source =
        Compiler.source(
            "test.Box",
            "package test;",
            "public class Box<T> {",
            "  /** Tool. */ @dev.llmcompiler.annotations.Tool public String t() { return \"\"; }",
            "}");
    Compilation compilation = compile(source);
    assertThat(compilation)
        .hadErrorContaining(
            "[LlmcGenericClass] @Tool methods must be declared in a non-generic"
                + " class, but test.Box has type parameters T.")
        .inFile(source)
        .onLineContaining("class Box");
  }

  @Test
  void duplicateNameIsReportedOnTheSecondNameValue() {
    assertError(
        "[LlmcDuplicateToolName] Tool names must be unique within a class, but \"find\" names both"
            + " Sample.find() and Sample.findAgain(); the planner calls tools by name alone. Give one of them another name"
            + " with @Tool(name = \"...\").",
        "name = \"find\")",
        "/** Find. */ @Tool public String find() { return \"\"; }",
        "/** Find again. */",
        "@Tool(name = \"find\")",
        "public String findAgain() { return \"\"; }");
  }

  @Test
  void duplicateNameOfAnOverloadNamesBothSignatures() {
    assertError(
        "[LlmcDuplicateToolName] Tool names must be unique within a class, but \"search\" names both"
            + " Sample.search(String) and its overload Sample.search(String, int); the planner calls tools by name alone."
            + " Give one of them another name with @Tool(name = \"...\").",
        "String search(String query, int limit)",
        "/** Search. */",
        "@Tool public String search(String query) { return query; }",
        "/** Search, at most limit results. */",
        "@Tool public String search(String query, int limit) { return query; }");
  }

  @Test
  void duplicateNameOfOverloadsWithArraysAndGenericsShowsErasedSimpleTypes() {
    assertError(
        "but \"find\" names both Sample.find(List, Rec[]) and its overload Sample.find(Map, int[]);",
        "find(Map<String, Integer> byName",
        "/** Find. */",
        "@Tool public String find(List<String> names, Rec[] recs) { return \"\"; }",
        "/** Find again. */",
        "@Tool public String find(Map<String, Integer> byName, int[] ids) { return \"\"; }");
  }

  @Test
  void invalidName() {
    assertError(
        "[LlmcInvalidToolName] Tool names must match ^[a-zA-Z0-9_-]{1,64}$, but \"find it\" does not.",
        "\"find it\"",
        "/** Find. */",
        "@Tool(name = \"find it\")",
        "public String find() { return \"\"; }");
  }

  @Test
  void reservedName() {
    assertError(
        "[LlmcReservedToolName] The tool name \"join\" is reserved: join() ends a plan.",
        "String join(",
        "/** Joins. */ @Tool public String join() { return \"\"; }");
  }

  @Test
  void reservedNameInAnyCase() {
    assertError(
        "[LlmcReservedToolName] The tool name \"join\" is reserved: join() ends a plan.",
        "\"Join\"",
        "/** Joins. */ @Tool(name = \"Join\") public String merge() { return \"\"; }");
  }

  @Test
  void paramWithoutTool() {
    assertError(
        "[LlmcParamWithoutTool] @Param describes parameters of @Tool methods only, but Sample.plain() is not"
            + " annotated @Tool. Annotate the method with @Tool or remove @Param.",
        "String plain(",
        "public String plain(@Param(description = \"x\") String x) { return x; }");
  }

  @Test
  void unsupportedParameterTypesAreReportedOnTheParameter() {
    assertUnsupported(
        "Object value", "java.lang.Object tells the LLM nothing about the value to send.");
    assertUnsupported("List raw", "the raw type java.util.List does not say what it contains.");
    assertUnsupported(
        "List<? extends Number> wild", "the wildcard ? extends java.lang.Number cannot be decoded");
    assertUnsupported(
        "Map<Integer, String> byId",
        "JSON object keys are strings, but java.util.Map<java.lang.Integer,"
            + "java.lang.String> has keys of type java.lang.Integer. Use Map<String, V>");
    assertUnsupported(
        "Bean bean", "test.Sample.Bean is not a record, an enum or a supported JDK type");
    assertUnsupported("Runnable task", "java.lang.Runnable is an interface");
    assertUnsupported(
        "List<Optional<String>> maybe",
        "java.util.Optional<java.lang.String> is supported only as a"
            + " parameter, record component or return type");
    assertUnsupported("CompletableFuture<String> later", "is supported only as a return type");
    assertUnsupported(
        "byte[] bytes", "byte[] is ambiguous in JSON. Use List<Integer> or String instead.");
    assertUnsupported(
        "Hidden hidden", "test.Sample.Hidden is private, so the generated tool set cannot use it.");
  }

  private static void assertUnsupported(String parameter, String reason) {
    String name = parameter.substring(parameter.lastIndexOf(' ') + 1);
    assertError(
        "[LlmcUnsupportedType] Parameter '" + name + "' of tool \"t\" has type",
        "t(" + parameter,
        "/** Tool. @param "
            + name
            + " the value */ @Tool public String t("
            + parameter
            + ") { return \"\"; }");
    assertError(
        reason,
        "t(" + parameter,
        "/** Tool. @param "
            + name
            + " the value */ @Tool public String t("
            + parameter
            + ") { return \"\"; }");
  }

  @Test
  void unsupportedRecordComponentNamesTheComponent() {
    assertError(
        "in record test.Sample.Bad, component 'payload': java.lang.Object tells the LLM nothing",
        "t(Bad bad)",
        "/** Bad. @param payload what */ public record Bad(Object payload) {}",
        "/** Tool. @param bad the value */ @Tool public String t(Bad bad) { return \"\"; }");
  }

  @Test
  void unsupportedResultTypeIsReportedOnTheMethod() {
    assertError(
        "[LlmcUnsupportedType] The result of tool \"t\" has type java.lang.Object",
        "Object t(",
        "/** Tool. */ @Tool public Object t() { return \"\"; }");
  }

  @Test
  void manyErrorsAreReportedInOneCompile() {
    JavaFileObject source =
        sample(
            "/** A. */ @Tool private String privateOne() { return \"\"; }",
            "/** B. */ @Tool public <T> String genericOne() { return \"\"; }",
            "/** C. */ @Tool(name = \"bad name\") public String badName() { return \"\"; }",
            "/** D. */ @Tool public String join() { return \"\"; }",
            "/** E. @param o o */ @Tool public String objectOne(Object o) { return \"\"; }",
            "/** F. @param o o */ @Tool public String objectTwo(Object o, Runnable r) { return \"\"; }",
            "public String plain(@Param(description = \"x\") String x) { return x; }");
    JavaFileObject other =
        Compiler.source(
            "test.Other",
            "package test;",
            "public class Other {",
            "  /** Fine. */ @dev.llmcompiler.annotations.Tool public String fine() { return \"\"; }",
            "  /** Broken. */ @dev.llmcompiler.annotations.Tool public Object broken() { return \"\"; }",
            "}");
    JavaFileObject good =
        Compiler.source(
            "test.Good",
            "package test;",
            "public class Good {",
            "  /** Fine. */ @dev.llmcompiler.annotations.Tool public String fine() { return \"\"; }",
            "}");
    RecordingProcessor recording = new RecordingProcessor();
    Compilation compilation = javac().withProcessors(recording).compile(source, other, good);
    assertThat(compilation).failed();
    assertThat(compilation)
        .hadErrorContaining("[LlmcNotPublic]")
        .inFile(source)
        .onLineContaining("privateOne");
    assertThat(compilation)
        .hadErrorContaining("[LlmcGenericMethod]")
        .inFile(source)
        .onLineContaining("genericOne");
    assertThat(compilation)
        .hadErrorContaining("[LlmcInvalidToolName]")
        .inFile(source)
        .onLineContaining("badName");
    assertThat(compilation)
        .hadErrorContaining("[LlmcReservedToolName]")
        .inFile(source)
        .onLineContaining("join()");
    assertThat(compilation)
        .hadErrorContaining("Parameter 'o' of tool \"objectOne\"")
        .inFile(source)
        .onLineContaining("objectOne");
    assertThat(compilation)
        .hadErrorContaining("Parameter 'o' of tool \"objectTwo\"")
        .inFile(source)
        .onLineContaining("objectTwo");
    assertThat(compilation)
        .hadErrorContaining("Parameter 'r' of tool \"objectTwo\"")
        .inFile(source)
        .onLineContaining("objectTwo");
    assertThat(compilation)
        .hadErrorContaining("[LlmcParamWithoutTool]")
        .inFile(source)
        .onLineContaining("plain(");
    assertThat(compilation)
        .hadErrorContaining("The result of tool \"broken\"")
        .inFile(other)
        .onLineContaining("broken");
    assertThat(compilation).hadErrorCount(9);
    // A class with errors gets nothing generated; a valid class in the same compile still does.
    assertThat(IncrementalTest.createdNames(recording))
        .containsExactly(
            "source test.GoodTools",
            "resource META-INF/llmcompiler/test.Good.json",
            "source test.GoodToolsFactory");
  }

  @Test
  void anExistingTypeWithTheToolSetsNameIsAnError() {
    JavaFileObject source =
        Compiler.source(
            "test.Clock",
            "package test;",
            "public class Clock {",
            "  /** Now. */ @dev.llmcompiler.annotations.Tool public String now() { return \"\"; }",
            "}");
    JavaFileObject taken =
        Compiler.source("test.ClockTools", "package test;", "public class ClockTools {}");
    Compilation compilation = Compiler.compile(source, taken);
    assertThat(compilation)
        .hadErrorContaining(
            "[LlmcGeneratedNameTaken] The tool set of test.Clock cannot be written:")
        .inFile(source)
        .onLineContaining("class Clock");
    assertThat(compilation).hadErrorContaining("test.ClockTools");
  }

  @Test
  void checkedExceptionsWarn() {
    JavaFileObject source =
        sample(
            "/** Reads. */ @Tool public String read() throws java.io.IOException, IllegalStateException { return \"\"; }");
    Compilation compilation = compile(source);
    assertThat(compilation).succeeded();
    assertThat(compilation)
        .hadWarningContaining(
            "[LlmcCheckedException] Tool \"read\" declares the checked"
                + " exception(s) java.io.IOException; when thrown, they are reported to the LLM as the task's error")
        .inFile(source)
        .onLineContaining("String read(");
  }

  @Test
  void missingDescriptionsWarnOnTheElement() {
    JavaFileObject source =
        sample(
            "/**",
            " * Plain.",
            " * @param a the a",
            " */",
            "public record Plain(String a,",
            "    int undocumented) {}",
            "@Tool public String bare(String what, Plain plain) { return \"\"; }");
    Compilation compilation = compile(source);
    assertThat(compilation).succeeded();
    assertThat(compilation)
        .hadWarningContaining("[LlmcMissingDescription] Tool \"bare\" has no description")
        .inFile(source)
        .onLineContaining("String bare(");
    assertThat(compilation)
        .hadWarningContaining("Parameter 'what' of tool \"bare\" has no description")
        .inFile(source)
        .onLineContaining("String bare(");
    assertThat(compilation)
        .hadWarningContaining("Parameter 'plain' of tool \"bare\" has no description")
        .inFile(source)
        .onLineContaining("String bare(");
    assertThat(compilation)
        .hadWarningContaining("Component 'undocumented' of record Plain (used by tool \"bare\")")
        .inFile(source)
        .onLineContaining("int undocumented");
    assertThat(warnings(compilation)).isEqualTo(4);
  }

  @Test
  void mapParametersMakeTheToolNonStrictWithAWarning() {
    JavaFileObject source =
        sample(
            "/** Prices. @param prices by code */ @Tool public String prices(Map<String, Double> prices) { return \"\"; }");
    Compilation compilation = compile(source);
    assertThat(compilation).succeeded();
    assertThat(compilation)
        .hadWarningContaining(
            "[LlmcNotStrict] Tool \"prices\" cannot use OpenAI strict mode because"
                + " parameter 'prices' contains one (a Map: its keys are not known in advance), so its catalog entry says"
                + " \"strict\": false.")
        .inFile(source)
        .onLineContaining("String prices(");
    assertThat(compilation).hadWarningContaining("@SuppressWarnings(\"llmcompiler\")");
  }

  @Test
  void aReadOnlyToolThatReturnsNothingWarnsOnItsEffect() {
    JavaFileObject source =
        sample(
            "/** Looks.*/",
            "@Tool(name = \"look\",",
            "    effect = dev.llmcompiler.annotations.Effect.READ_ONLY)",
            "public void look(@Param(description = \"what\") String what) {}",
            "/** Looks later.*/",
            "@Tool(effect = dev.llmcompiler.annotations.Effect.READ_ONLY) // later",
            "public CompletableFuture<Void> later(@Param(description = \"what\") String what) { return null; }",
            "/** Tags.*/",
            "@Tool(effect = dev.llmcompiler.annotations.Effect.IDEMPOTENT)",
            "public void tag(@Param(description = \"what\") String what) {}",
            "/** Reads.*/",
            "@Tool(effect = dev.llmcompiler.annotations.Effect.READ_ONLY) // read",
            "public String read(@Param(description = \"what\") String what) { return what; }");
    Compilation compilation = compile(source);
    assertThat(compilation).succeeded();
    assertThat(compilation)
        .hadWarningContaining(
            "[LlmcEffectMismatch] Tool \"look\" is declared READ_ONLY but returns"
                + " nothing: a tool that changes nothing and returns nothing does nothing the planner can use.")
        .inFile(source)
        .onLineContaining("    effect = dev.llmcompiler.annotations.Effect.READ_ONLY)");
    assertThat(compilation)
        .hadWarningContaining("Tool \"later\" is declared READ_ONLY but returns nothing")
        .inFile(source)
        .onLineContaining("READ_ONLY) // later");
    // An idempotent void tool and a read-only tool with a result are fine.
    assertThat(warnings(compilation)).isEqualTo(2);

    JavaFileObject silenced =
        sample(
            "/** Checks.*/",
            "@SuppressWarnings(\"llmcompiler\")",
            "@Tool(effect = dev.llmcompiler.annotations.Effect.READ_ONLY)",
            "public void check(@Param(description = \"what\") String what) {}");
    assertThat(warnings(compile(silenced))).isEqualTo(0);
  }

  @Test
  void suppressWarningsOnTheMethodOrClassSilencesWarnings() {
    JavaFileObject onMethod =
        sample(
            "@SuppressWarnings(\"llmcompiler\") @Tool public String prices(Map<String, Double> prices) throws Exception"
                + " { return \"\"; }");
    assertThat(warnings(compile(onMethod))).isEqualTo(0);
    JavaFileObject onClass =
        Compiler.source(
            "test.Quiet",
            "package test;",
            "@SuppressWarnings(\"llmcompiler\")",
            "public class Quiet {",
            "  @dev.llmcompiler.annotations.Tool public String prices(java.util.Map<String, Double> p) throws Exception {"
                + " return \"\"; }",
            "}");
    Compilation compilation = compile(onClass);
    assertThat(compilation).succeeded();
    assertThat(warnings(compilation)).isEqualTo(0);
  }

  @Test
  void generatedCodeCompilesWithoutWarningsUnderXlintAll() {
    // -processing: javac's "no processor claimed these annotations" notes are by design (we never
    // claim them).
    Compilation compilation =
        javac()
            .withProcessors(new ToolProcessor())
            .withOptions("-Xlint:all,-processing", "-Werror")
            .compile(
                Compiler.source("test/TypeTable.java"),
                Compiler.source("test/Nullable.java"),
                Compiler.source("test/typeuse/Nullable.java"),
                Compiler.source("test/Converter.java"),
                Compiler.source("test/Rates.java"),
                Compiler.source(
                    "test.Old",
                    "package test;",
                    "public class Old {",
                    "  /** Old. */ @Deprecated @dev.llmcompiler.annotations.Tool public String old() { return \"\"; }",
                    "}"));
    assertThat(compilation).succeededWithoutWarnings();
    assertThat(compilation.generatedSourceFile("test.OldTools")).isPresent();
  }

  private static long warnings(Compilation compilation) {
    return compilation.diagnostics().stream()
        .filter(d -> d.getKind() == Diagnostic.Kind.WARNING)
        .filter(d -> d.getMessage(null).contains("[Llmc"))
        .count();
  }
}
