package dev.llmcompiler.processor;

import static com.google.testing.compile.CompilationSubject.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.testing.compile.Compilation;
import com.networknt.schema.InputFormat;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaId;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SpecVersion;
import dev.llmcompiler.annotations.Effect;
import dev.llmcompiler.runtime.ToolSet;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import javax.tools.JavaFileObject;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The catalog of a class whose tools cover the whole type table, checked schema by schema. */
class CatalogTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  // The validator ships the 2020-12 meta-schema; nothing is fetched from the network.
  private static final JsonSchema META_SCHEMA =
      JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012)
          .getSchema(SchemaLocation.of(SchemaId.V202012));

  private static Compilation compilation;
  private static String catalogText;
  private static Map<String, JsonNode> tools;
  private static List<String> order;

  @BeforeAll
  static void compile() throws Exception {
    compilation = compileTypeTable();
    assertThat(compilation).succeeded();
    catalogText = Compiler.resource(compilation, "META-INF/llmcompiler/test.TypeTable.json");
    tools = new HashMap<>();
    order = new ArrayList<>();
    for (JsonNode tool : JSON.readTree(catalogText).get("tools")) {
      tools.put(tool.get("name").asText(), tool);
      order.add(tool.get("name").asText());
    }
  }

  static Compilation compileTypeTable() {
    return Compiler.compile(
        Compiler.source("test/TypeTable.java"),
        Compiler.source("test/Nullable.java"),
        Compiler.source("test/typeuse/Nullable.java"));
  }

  private static JsonNode json(String singleQuoted) throws Exception {
    return JSON.readTree(singleQuoted.replace('\'', '"'));
  }

  private static void assertTool(
      String name, String parameters, String returns, String signature, boolean strict)
      throws Exception {
    JsonNode tool = tools.get(name);
    assertThat(tool).as(name).isNotNull();
    assertThat(tool.get("parameters")).as(name + " parameters").isEqualTo(json(parameters));
    assertThat(tool.get("returns")).as(name + " returns").isEqualTo(json(returns));
    assertThat(tool.get("signature").asText()).isEqualTo(signature);
    assertThat(tool.get("strict").asBoolean()).as(name + " strict").isEqualTo(strict);
  }

  private static String object(String properties, String required) {
    return "{'type':'object','properties':{"
        + properties
        + "},'required':["
        + required
        + "],'additionalProperties':false}";
  }

  @Test
  void catalogHasEveryToolInSourceOrderWithContractKeys() throws Exception {
    assertThat(order)
        .containsExactly(
            "strings",
            "numbers",
            "reals",
            "bigs",
            "flags",
            "swap",
            "order",
            "tree",
            "collections",
            "prices",
            "optionals",
            "times",
            "fetch",
            "fire",
            "log-message",
            "now");
    for (JsonNode tool : JSON.readTree(catalogText).get("tools")) {
      List<String> keys = new ArrayList<>();
      tool.fieldNames().forEachRemaining(keys::add);
      assertThat(keys)
          .containsExactly(
              "name", "description", "parameters", "returns", "strict", "signature", "effect");
    }
    assertThat(tools.get("strings").get("description").asText()).isEqualTo("Echoes text.");
    assertThat(catalogText)
        .startsWith("{\n  \"tools\": [\n    {\n      \"name\": \"strings\",")
        .endsWith("}\n");
  }

  @Test
  void eachToolCarriesItsEffectInLowerCaseAndUndeclaredIsMutating() throws Exception {
    Compilation compilation =
        Compiler.compile(
            Compiler.source(
                "test.Shop",
                "package test;",
                "import dev.llmcompiler.annotations.Effect;",
                "import dev.llmcompiler.annotations.Param;",
                "import dev.llmcompiler.annotations.Tool;",
                "/** A shop. */",
                "public class Shop {",
                "  /** Finds. */ @Tool(effect = Effect.READ_ONLY)",
                "  public String find(@Param(description = \"what\") String q) { return q; }",
                "  /** Tags. */ @Tool(effect = Effect.IDEMPOTENT)",
                "  public void tag(@Param(description = \"which\") String id) {}",
                "  /** Orders. */ @Tool(effect = Effect.MUTATING)",
                "  public String order(@Param(description = \"which\") String id) { return id; }",
                "  /** Deletes. */ @Tool(effect = Effect.DESTRUCTIVE)",
                "  public void delete(@Param(description = \"which\") String id) {}",
                "  /** Pays. */ @Tool public String pay(@Param(description = \"which\") String id) { return id; }",
                "}"));
    assertThat(compilation).succeeded();
    assertThat(Compiler.warnings(compilation)).as("no effect contradicts its signature").isEmpty();
    JsonNode catalog =
        JSON.readTree(Compiler.resource(compilation, "META-INF/llmcompiler/test.Shop.json"));
    List<String> effects = new ArrayList<>();
    catalog.get("tools").forEach(tool -> effects.add(tool.get("effect").asText()));
    assertThat(effects)
        .containsExactly("read_only", "idempotent", "mutating", "destructive", "mutating");
    assertThat(tools.values())
        .allSatisfy(tool -> assertThat(tool.get("effect").asText()).isEqualTo("mutating"));

    ClassLoader loader = Compiler.classLoader(compilation);
    Class<?> target = loader.loadClass("test.Shop");
    ToolSet shop =
        (ToolSet)
            loader
                .loadClass("test.ShopTools")
                .getMethod("of", target)
                .invoke(null, target.getConstructor().newInstance());
    List<Effect> declared = new ArrayList<>();
    shop.tools().forEach(tool -> declared.add(tool.effect()));
    assertThat(declared)
        .as("the generated descriptors carry the same effects")
        .containsExactly(
            Effect.READ_ONLY,
            Effect.IDEMPOTENT,
            Effect.MUTATING,
            Effect.DESTRUCTIVE,
            Effect.MUTATING);
  }

  @Test
  void stringsAndCharacters() throws Exception {
    assertTool(
        "strings",
        object(
            "'s':{'type':'string'},'c':{'type':'string'},'cs':{'type':'string'}", "'s','c','cs'"),
        "{'type':'string'}",
        "strings(s: string, c: string, cs: string) -> string",
        true);
  }

  @Test
  void integersAndNumbers() throws Exception {
    assertTool(
        "numbers",
        object(
            "'b':{'type':'integer'},'sh':{'type':'integer'},'i':{'type':'integer'},'l':{'type':'integer'},"
                + "'boxed':{'type':'integer'}",
            "'b','sh','i','l','boxed'"),
        "{'type':'integer'}",
        "numbers(b: integer, sh: integer, i: integer, l: integer, boxed: integer) -> integer",
        true);
    assertTool(
        "reals",
        object(
            "'f':{'type':'number'},'d':{'type':'number'},'boxed':{'type':'number'}",
            "'f','d','boxed'"),
        "{'type':'number'}",
        "reals(f: number, d: number, boxed: number) -> number",
        true);
    assertTool(
        "bigs",
        object("'decimal':{'type':'number'},'integer':{'type':'integer'}", "'decimal','integer'"),
        "{'type':'number'}",
        "bigs(decimal: number, integer: integer) -> number",
        true);
  }

  @Test
  void booleansAndEnums() throws Exception {
    assertTool(
        "flags",
        object("'a':{'type':'boolean'},'b':{'type':'boolean'}", "'a','b'"),
        "{'type':'boolean'}",
        "flags(a: boolean, b: boolean) -> boolean",
        true);
    assertTool(
        "swap",
        object("'color':{'type':'string','enum':['RED','GREEN']}", "'color'"),
        "{'type':'string','enum':['RED','GREEN']}",
        "swap(color: \"RED\"|\"GREEN\") -> \"RED\"|\"GREEN\"",
        true);
  }

  @Test
  void nestedRecordsWithComponentDescriptionsAndNullableComponents() throws Exception {
    String money =
        "{'type':'object','properties':{'amount':{'type':'number','description':'how much'},"
            + "'currency':{'type':'string','description':'ISO code'}},'required':['amount','currency'],"
            + "'additionalProperties':false";
    String line =
        "{'type':'object','properties':{'sku':{'type':'string','description':'the article'},"
            + "'quantity':{'type':'integer','description':'how many'}},'required':['sku','quantity'],"
            + "'additionalProperties':false}";
    String strictOrder =
        "{'type':'object','properties':{'id':{'type':'string','description':'order id'},"
            + "'total':"
            + money
            + ",'description':'what it costs'},"
            + "'lines':{'type':'array','items':"
            + line
            + ",'description':'what is ordered'},"
            + "'note':{'type':['string','null'],'description':'a remark'}},"
            + "'required':['id','total','lines','note'],'additionalProperties':false}";
    // Results are not strict: an optional component is simply not required.
    String resultOrder =
        "{'type':'object','properties':{'id':{'type':'string','description':'order id'},"
            + "'total':"
            + money
            + ",'description':'what it costs'},"
            + "'lines':{'type':'array','items':"
            + line
            + ",'description':'what is ordered'},"
            + "'note':{'type':'string','description':'a remark'}},"
            + "'required':['id','total','lines'],'additionalProperties':false}";
    String fields =
        "{id: string, total: {amount: number, currency: string}, lines: list[{sku: string, quantity: integer}],"
            + " note?: string}";
    assertTool(
        "order",
        object("'order':" + strictOrder, "'order'"),
        resultOrder,
        "order(order: " + fields + ") -> " + fields,
        true);
  }

  @Test
  void recursiveRecordsGoThroughDefs() throws Exception {
    assertTool(
        "tree",
        "{'type':'object','properties':{'root':{'$ref':'#/$defs/Node'}},'required':['root'],'additionalProperties':false,"
            + "'$defs':{'Node':{'type':'object','properties':{'label':{'type':'string','description':'its label'},"
            + "'children':{'type':'array','items':{'$ref':'#/$defs/Node'},'description':'its subtrees'}},"
            + "'required':['label','children'],'additionalProperties':false}}}",
        "{'type':'integer'}",
        "tree(root: Node{label: string, children: list[Node]}) -> integer",
        true);
  }

  @Test
  void listsSetsCollectionsAndArrays() throws Exception {
    assertTool(
        "collections",
        object(
            "'list':{'type':'array','items':{'type':'string'}},'set':{'type':'array','items':{'type':'integer'}},"
                + "'colors':{'type':'array','items':{'type':'string','enum':['RED','GREEN']}},"
                + "'array':{'type':'array','items':{'type':'integer'}},"
                + "'monies':{'type':'array','items':{'type':'object','properties':{'amount':{'type':'number','description':'how much'},"
                + "'currency':{'type':'string','description':'ISO code'}},'required':['amount','currency'],'additionalProperties':false}}",
            "'list','set','colors','array','monies'"),
        "{'type':'array','items':{'type':'string'}}",
        "collections(list: list[string], set: set[integer], colors: list[\"RED\"|\"GREEN\"], array: list[integer],"
            + " monies: list[{amount: number, currency: string}]) -> list[string]",
        true);
  }

  @Test
  void mapsUseAdditionalPropertiesAndAreNotStrict() throws Exception {
    assertTool(
        "prices",
        object("'prices':{'type':'object','additionalProperties':{'type':'number'}}", "'prices'"),
        "{'type':'object','additionalProperties':{'type':'integer'}}",
        "prices(prices: map[string, number]) -> map[string, integer]",
        false);
  }

  @Test
  void optionalsAndNullablesAreNullableInStrictMode() throws Exception {
    assertTool(
        "optionals",
        object(
            "'text':{'type':['string','null']},'count':{'type':['integer','null']},'big':{'type':['integer','null']},"
                + "'ratio':{'type':['number','null']},'note':{'type':['string','null']},'typeUse':{'type':['string','null']},"
                + "'money':{'anyOf':[{'type':'object','properties':{'amount':{'type':'number','description':'how much'},"
                + "'currency':{'type':'string','description':'ISO code'}},'required':['amount','currency'],"
                + "'additionalProperties':false},{'type':'null'}]}",
            "'text','count','big','ratio','note','typeUse','money'"),
        "{'type':['string','null']}",
        "optionals(text?: string, count?: integer, big?: integer, ratio?: number, note?: string, typeUse?: string,"
            + " money?: {amount: number, currency: string}) -> string | null",
        true);
  }

  @Test
  void timesAndUuids() throws Exception {
    assertTool(
        "times",
        object(
            "'date':{'type':'string','format':'date'},'time':{'type':'string','format':'time'},"
                + "'local':{'type':'string'},'instant':{'type':'string','format':'date-time'},"
                + "'offset':{'type':'string','format':'date-time'},'zoned':{'type':'string','format':'date-time'},"
                + "'duration':{'type':'string','format':'duration'},'id':{'type':'string','format':'uuid'}",
            "'date','time','local','instant','offset','zoned','duration','id'"),
        "{'type':'string'}",
        "times(date: date, time: time, local: string, instant: date-time, offset: date-time, zoned: date-time,"
            + " duration: duration, id: uuid) -> string",
        true);
  }

  @Test
  void asyncVoidAndParameterlessTools() throws Exception {
    assertTool(
        "fetch",
        object("'key':{'type':'string','description':'what to fetch'}", "'key'"),
        "{'type':'string'}",
        "fetch(key: string) -> string",
        true);
    assertTool(
        "fire",
        object("'event':{'type':'string'}", "'event'"),
        "{'type':'null'}",
        "fire(event: string) -> null",
        true);
    assertTool(
        "log-message",
        object("'message':{'type':'string'}", "'message'"),
        "{'type':'null'}",
        "log-message(message: string) -> null",
        true);
    assertTool("now", object("", ""), "{'type':'string'}", "now() -> string", true);
  }

  @Test
  void everySchemaIsValidUnderTheDraft202012MetaSchema() {
    for (JsonNode tool : tools.values()) {
      for (String key : List.of("parameters", "returns")) {
        assertThat(META_SCHEMA.validate(tool.get(key).toString(), InputFormat.JSON))
            .as(tool.get("name") + " " + key)
            .isEmpty();
      }
    }
  }

  @Test
  void theMetaSchemaCheckRejectsAnInvalidSchema() {
    assertThat(
            META_SCHEMA.validate("{\"type\":\"object\",\"required\":\"name\"}", InputFormat.JSON))
        .isNotEmpty();
    assertThat(META_SCHEMA.validate("{\"type\":\"strin\"}", InputFormat.JSON)).isNotEmpty();
  }

  @Test
  void strictToolsFollowOpenAiStrictRules() {
    int checked = 0;
    for (JsonNode tool : tools.values()) {
      if (tool.get("strict").asBoolean()) {
        List<String> violations = new ArrayList<>();
        checkStrict(tool.get("parameters"), tool.get("parameters"), "$", violations);
        assertThat(violations).as(tool.get("name").asText()).isEmpty();
        checked++;
      }
    }
    assertThat(checked).isEqualTo(15);
  }

  @Test
  void theStrictCheckerCatchesViolations() throws Exception {
    List<String> violations = new ArrayList<>();
    JsonNode bad =
        json(
            "{'type':'object','properties':{'a':{'type':'string'},'m':{'type':'object',"
                + "'additionalProperties':{'type':'string'}}},'required':['m']}");
    checkStrict(bad, bad, "$", violations);
    assertThat(violations).hasSize(3);
  }

  /** OpenAI strict mode: objects are closed, every property required, only null unions allowed. */
  static void checkStrict(JsonNode root, JsonNode schema, String path, List<String> violations) {
    if (schema.has("$ref")) {
      return; // checked where the definition itself is walked
    }
    for (JsonNode alternative : schema.path("anyOf")) {
      checkStrict(root, alternative, path, violations);
    }
    JsonNode type = schema.path("type");
    boolean object =
        type.asText().equals("object") || type.isArray() && type.toString().contains("\"object\"");
    if (object) {
      if (!schema.path("additionalProperties").isBoolean()
          || schema.get("additionalProperties").asBoolean()) {
        violations.add(path + ": additionalProperties must be false");
      }
      Set<String> required = new TreeSet<>();
      schema.path("required").forEach(r -> required.add(r.asText()));
      for (Iterator<String> names = schema.path("properties").fieldNames(); names.hasNext(); ) {
        String name = names.next();
        if (!required.contains(name)) {
          violations.add(path + "." + name + ": not required");
        }
        checkStrict(root, schema.get("properties").get(name), path + "." + name, violations);
      }
    }
    if (schema.has("items")) {
      checkStrict(root, schema.get("items"), path + "[]", violations);
    }
    if (schema.has("$defs")) {
      for (Iterator<Map.Entry<String, JsonNode>> defs = schema.get("$defs").fields();
          defs.hasNext(); ) {
        Map.Entry<String, JsonNode> def = defs.next();
        checkStrict(root, def.getValue(), "#/$defs/" + def.getKey(), violations);
      }
    }
  }

  @Test
  void outputIsDeterministic() throws Exception {
    Compilation again = compileTypeTable();
    assertThat(Compiler.resource(again, "META-INF/llmcompiler/test.TypeTable.json"))
        .isEqualTo(catalogText);
    JavaFileObject first = compilation.generatedSourceFile("test.TypeTableTools").orElseThrow();
    JavaFileObject second = again.generatedSourceFile("test.TypeTableTools").orElseThrow();
    assertThat(second.getCharContent(true).toString())
        .isEqualTo(first.getCharContent(true).toString());
  }

  @Test
  void genericRecordsAreResolvedPerUse() throws Exception {
    Compilation generic =
        Compiler.compile(
            Compiler.source(
                "test.Pairs",
                "package test;",
                "import java.util.List;",
                "public class Pairs {",
                "  /** A pair. @param left l @param right r */",
                "  public record Pair<A, B>(A left, B right) {}",
                "  /** Swaps. */",
                "  @dev.llmcompiler.annotations.Tool public Pair<Integer, String> swap(Pair<String, Integer> pair) {",
                "    return new Pair<>(pair.right(), pair.left());",
                "  }",
                "}"));
    assertThat(generic).succeeded();
    JsonNode tool =
        JSON.readTree(Compiler.resource(generic, "META-INF/llmcompiler/test.Pairs.json"))
            .get("tools")
            .get(0);
    assertThat(tool.get("signature").asText())
        .isEqualTo("swap(pair: {left: string, right: integer}) -> {left: integer, right: string}");
    ClassLoader loader = Compiler.classLoader(generic);
    Class<?> pairs = loader.loadClass("test.Pairs");
    dev.llmcompiler.runtime.ToolSet set =
        (dev.llmcompiler.runtime.ToolSet)
            loader
                .loadClass("test.PairsTools")
                .getMethod("of", pairs)
                .invoke(null, pairs.getConstructor().newInstance());
    JsonNode result =
        set.invoke(
                "swap",
                (com.fasterxml.jackson.databind.node.ObjectNode)
                    json("{'pair':{'left':'a','right':1}}"))
            .toCompletableFuture()
            .get();
    assertThat(result).isEqualTo(json("{'left':1,'right':'a'}"));
  }

  @Test
  void nestedClassesGetUnderscoredToolSetsAndBinaryNamedCatalogs() {
    Compilation nested =
        Compiler.compile(
            Compiler.source(
                "test.Outer",
                "package test;",
                "public class Outer {",
                "  public static class Inner {",
                "    /** Pings. */",
                "    @dev.llmcompiler.annotations.Tool public String ping() { return \"pong\"; }",
                "  }",
                "}"));
    assertThat(nested).succeeded();
    assertThat(nested)
        .generatedSourceFile("test.Outer_InnerTools")
        .contentsAsUtf8String()
        .contains("public final class Outer_InnerTools implements ToolSet");
    assertThat(Compiler.resource(nested, "META-INF/llmcompiler/test.Outer$Inner.json"))
        .contains("\"ping() -> string\"");
  }
}
