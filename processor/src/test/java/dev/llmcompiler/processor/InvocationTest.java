package dev.llmcompiler.processor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.testing.compile.Compilation;
import dev.llmcompiler.runtime.ToolArgumentException;
import dev.llmcompiler.runtime.ToolDescriptor;
import dev.llmcompiler.runtime.ToolSet;
import java.lang.reflect.Method;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Compiles the type table, loads the generated tool set and calls it with real JSON. */
class InvocationTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static ToolSet tools;
  private static Method of;
  private static Class<?> targetClass;

  @BeforeAll
  static void load() throws Exception {
    Compilation compilation = CatalogTest.compileTypeTable();
    ClassLoader loader = Compiler.classLoader(compilation);
    targetClass = loader.loadClass("test.TypeTable");
    Class<?> toolSetClass = loader.loadClass("test.TypeTableTools");
    of = toolSetClass.getMethod("of", targetClass);
    tools = (ToolSet) of.invoke(null, targetClass.getConstructor().newInstance());
  }

  private static JsonNode call(String tool, String singleQuotedArguments) throws Exception {
    ObjectNode arguments = (ObjectNode) JSON.readTree(singleQuotedArguments.replace('\'', '"'));
    CompletionStage<JsonNode> result = tools.invoke(tool, arguments);
    return result.toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  private static JsonNode json(String singleQuoted) throws Exception {
    return JSON.readTree(singleQuoted.replace('\'', '"'));
  }

  private static String error(String tool, String singleQuotedArguments) {
    Throwable thrown =
        org.assertj.core.api.Assertions.catchThrowable(() -> call(tool, singleQuotedArguments));
    assertThat(thrown).isInstanceOf(ToolArgumentException.class);
    assertThat(((ToolArgumentException) thrown).tool()).isEqualTo(tool);
    return thrown.getMessage();
  }

  @Test
  void toolsAreBuiltOnceAndImmutable() {
    List<ToolDescriptor> descriptors = tools.tools();
    assertThat(descriptors).hasSize(16);
    assertThat(tools.tools()).isSameAs(descriptors);
    assertThatThrownBy(() -> descriptors.add(descriptors.get(0)))
        .isInstanceOf(UnsupportedOperationException.class);
    ToolDescriptor optionals = descriptors.get(10);
    assertThat(optionals.name()).isEqualTo("optionals");
    assertThat(optionals.requiredParameters()).isEmpty();
    assertThat(optionals.parameterNames())
        .containsExactly("text", "count", "big", "ratio", "note", "typeUse", "money");
    assertThat(descriptors.get(12).async()).isTrue();
    assertThat(descriptors.get(0).async()).isFalse();
    assertThat(descriptors.get(9).strict()).isFalse();
  }

  @Test
  void ofRejectsANullTarget() {
    assertThatThrownBy(
            () -> {
              try {
                of.invoke(null, (Object) null);
              } catch (java.lang.reflect.InvocationTargetException e) {
                throw e.getCause();
              }
            })
        .isInstanceOf(NullPointerException.class)
        .hasMessageContaining("target is null; pass the TypeTable instance");
  }

  @Test
  void scalars() throws Exception {
    assertThat(call("strings", "{'s':'a','c':'b','cs':'c'}").asText()).isEqualTo("abc");
    assertThat(call("numbers", "{'b':-128,'sh':2,'i':3.0,'l':4000000000,'boxed':5}").asLong())
        .isEqualTo(-128 + 2 + 3 + 4_000_000_000L + 5);
    assertThat(call("reals", "{'f':0.5,'d':1.25,'boxed':2}").asDouble()).isEqualTo(3.75);
    // Exact: a BigDecimal result is not squeezed through a double.
    assertThat(call("bigs", "{'decimal':0.1,'integer':123456789012345678901234567890}").toString())
        .isEqualTo("123456789012345678901234567890.1");
    assertThat(call("flags", "{'a':true,'b':true}").asBoolean()).isTrue();
    assertThat(call("swap", "{'color':'RED'}").asText()).isEqualTo("GREEN");
  }

  @Test
  void recordsCollectionsAndMaps() throws Exception {
    String order =
        "{'id':'o1','total':{'amount':12.50,'currency':'EUR'},'lines':[{'sku':'a','quantity':2}],'note':null}";
    assertThat(call("order", "{'order':" + order + "}").toString())
        .isEqualTo(json(order).toString());
    assertThat(
            call(
                    "tree",
                    "{'root':{'label':'r','children':[{'label':'a','children':[]},"
                        + "{'label':'b','children':[{'label':'c','children':[]}]}]}}")
                .asInt())
        .isEqualTo(4);
    assertThat(
            call(
                "collections",
                "{'list':['x','y'],'set':[1,2,2],'colors':['RED'],'array':[1,2,3],"
                    + "'monies':[{'amount':1,'currency':'EUR'}]}"))
        .isEqualTo(json("['[x, y]','2','[RED]','3','1']"));
    assertThat(call("prices", "{'prices':{'EUR':1.4,'USD':2.6}}").toString())
        .isEqualTo("{\"EUR\":1,\"USD\":3}");
  }

  @Test
  void optionalsMayBeAbsentOrNull() throws Exception {
    assertThat(call("optionals", "{}")).isEqualTo(NullNode.getInstance());
    assertThat(call("optionals", "{'text':'t','count':null,'money':null}").asText())
        .isEqualTo("t/OptionalInt.empty/OptionalLong.empty/OptionalDouble.empty/null/null/none");
    assertThat(
            call(
                    "optionals",
                    "{'text':'t','count':1,'big':2,'ratio':0.5,'note':'n','typeUse':'u',"
                        + "'money':{'amount':1,'currency':'USD'}}")
                .asText())
        .isEqualTo("t/OptionalInt[1]/OptionalLong[2]/OptionalDouble[0.5]/n/u/USD");
  }

  @Test
  void timesAndUuids() throws Exception {
    assertThat(
            call(
                    "times",
                    "{'date':'2024-02-28','time':'13:45','local':'2024-01-01T10:00:00',"
                        + "'instant':'2024-01-01T00:00:00Z','offset':'2024-01-01T00:00:00+02:00','zoned':'2024-01-01T00:00:00+01:00',"
                        + "'duration':'PT1H','id':'123e4567-e89b-12d3-a456-426614174000'}")
                .asText())
        .isEqualTo(
            "2024-02-29 13:45 2024-01-01T10:00 2024-01-01T01:00:00Z 2024-01-01T00:00+02:00 2024-01-01T00:00+01:00"
                + " 123e4567-e89b-12d3-a456-426614174000");
  }

  @Test
  void asyncVoidAndStaticTools() throws Exception {
    CompletionStage<JsonNode> stage = tools.invoke("fetch", (ObjectNode) json("{'key':'k'}"));
    assertThat(stage.toCompletableFuture().get(10, TimeUnit.SECONDS).asText())
        .isEqualTo("value of k");
    assertThat(call("fire", "{'event':'e'}")).isEqualTo(NullNode.getInstance());
    assertThat(call("log-message", "{'message':'m'}")).isEqualTo(NullNode.getInstance());
    assertThat(call("now", "{}").asText()).isEqualTo("noon");
    assertThat(tools.invoke("now", null).toCompletableFuture().get(10, TimeUnit.SECONDS).asText())
        .isEqualTo("noon");
  }

  @Test
  void toolExceptionsPropagate() {
    assertThatThrownBy(() -> call("log-message", "{'message':''}"))
        .isInstanceOf(IllegalArgumentException.class)
        .isNotInstanceOf(ToolArgumentException.class)
        .hasMessage("empty message");
  }

  @Test
  void unknownToolListsTheTools() {
    assertThatThrownBy(() -> call("serach", "{}"))
        .isInstanceOf(ToolArgumentException.class)
        .hasMessageStartingWith(
            "Unknown tool 'serach'. The tools here are: strings, numbers, reals,")
        .hasMessageEndingWith("log-message, now.");
  }

  @Test
  void unknownMissingAndNullArguments() {
    assertThat(error("strings", "{'s':'a','c':'b','cs':'c','x':1}"))
        .isEqualTo("Tool 'strings': unknown argument 'x'. Its parameters are: s, c, cs.");
    assertThat(error("strings", "{'c':'b','cs':'c'}"))
        .isEqualTo(
            "Tool 'strings': required argument 's' is missing. Its parameters are: s, c, cs.");
    assertThat(error("strings", "{'s':null,'c':'b','cs':'c'}"))
        .isEqualTo("Tool 'strings': argument 's' must be a string, but got null.");
    assertThat(error("now", "{'x':1}"))
        .isEqualTo("Tool 'now': unknown argument 'x'. It takes no arguments.");
    assertThat(error("optionals", "{'nope':1}"))
        .isEqualTo(
            "Tool 'optionals': unknown argument 'nope'. Its parameters"
                + " are: text (optional), count (optional), big (optional), ratio (optional), note (optional), typeUse"
                + " (optional), money (optional).");
    assertThat(error("order", "{'order':null}"))
        .isEqualTo("Tool 'order': argument 'order' must be an object, but got null.");
  }

  @Test
  void wrongScalarTypes() {
    assertThat(error("reals", "{'f':1,'d':'ten','boxed':1}"))
        .isEqualTo("Tool 'reals': argument 'd' must be a number, but got \"ten\" (a string).");
    assertThat(error("reals", "{'f':1e39,'d':1,'boxed':1}"))
        .isEqualTo(
            "Tool 'reals': argument 'f' must be a number within the range of a 32-bit float, but got 1.0E39 (a number).");
    assertThat(error("reals", "{'f':1,'d':1e400,'boxed':1}"))
        .startsWith("Tool 'reals': argument 'd' must be a number");
    assertThat(error("strings", "{'s':1,'c':'b','cs':'c'}"))
        .isEqualTo("Tool 'strings': argument 's' must be a string, but got 1 (a number).");
    assertThat(error("strings", "{'s':'a','c':'bc','cs':'c'}"))
        .isEqualTo(
            "Tool 'strings': argument 'c' must be a string of exactly one character, but got \"bc\" (a string).");
    assertThat(error("numbers", "{'b':1,'sh':1,'i':2.5,'l':1,'boxed':1}"))
        .isEqualTo("Tool 'numbers': argument 'i' must be an integer, but got 2.5 (a number).");
    assertThat(error("numbers", "{'b':300,'sh':1,'i':1,'l':1,'boxed':1}"))
        .isEqualTo(
            "Tool 'numbers': argument 'b' must be an integer from -128 to 127, but got 300 (a number).");
    assertThat(error("numbers", "{'b':1,'sh':1,'i':1,'l':1,'boxed':'12'}"))
        .isEqualTo(
            "Tool 'numbers': argument 'boxed' must be an integer, but got \"12\" (a string).");
    assertThat(error("numbers", "{'b':1,'sh':1,'i':1,'l':1e400,'boxed':1}"))
        .startsWith("Tool 'numbers': argument 'l' must be an integer");
    assertThat(error("bigs", "{'decimal':1,'integer':1.5}"))
        .isEqualTo("Tool 'bigs': argument 'integer' must be an integer, but got 1.5 (a number).");
    assertThat(error("flags", "{'a':'true','b':true}"))
        .isEqualTo("Tool 'flags': argument 'a' must be a boolean, but got \"true\" (a string).");
    assertThat(error("swap", "{'color':'BLUE'}"))
        .isEqualTo(
            "Tool 'swap': argument 'color' must be one of \"RED\", \"GREEN\", but got \"BLUE\" (a string).");
    assertThat(error("swap", "{'color':0}"))
        .isEqualTo(
            "Tool 'swap': argument 'color' must be one of \"RED\", \"GREEN\", but got 0 (a number).");
  }

  @Test
  void wrongTimesAndUuids() {
    String valid =
        "'time':'13:45','local':'2024-01-01T10:00:00','instant':'2024-01-01T00:00:00Z',"
            + "'offset':'2024-01-01T00:00:00+02:00','zoned':'2024-01-01T00:00:00+01:00','duration':'PT1H'";
    assertThat(
            error(
                "times",
                "{'date':'tomorrow'," + valid + ",'id':'123e4567-e89b-12d3-a456-426614174000'}"))
        .isEqualTo(
            "Tool 'times': argument 'date' must be a date like \"2024-05-31\", but got \"tomorrow\" (a string).");
    assertThat(error("times", "{'date':'2024-01-01'," + valid + ",'id':'x'}"))
        .isEqualTo(
            "Tool 'times': argument 'id' must be a UUID like \"123e4567-e89b-12d3-a456-426614174000\", but got \"x\" (a string).");
    assertThat(
            error(
                "times",
                "{'date':'2024-01-01',"
                    + valid.replace("PT1H", "1 hour")
                    + ",'id':'123e4567-e89b-12d3-a456-426614174000'}"))
        .isEqualTo(
            "Tool 'times': argument 'duration' must be a duration like \"PT15M\", but got \"1 hour\" (a string).");
  }

  @Test
  void wrongNestedValuesNameTheirPath() {
    assertThat(
            error(
                "order",
                "{'order':{'id':'o','total':{'amount':'ten','currency':'EUR'},'lines':[]}}"))
        .isEqualTo(
            "Tool 'order': argument 'order.total.amount' must be a number, but got \"ten\" (a string).");
    assertThat(
            error(
                "order",
                "{'order':{'id':'o','total':{'amount':1,'currency':'EUR'},"
                    + "'lines':[{'sku':'a','quantity':1},{'sku':'b','quantity':'2'}]}}"))
        .isEqualTo(
            "Tool 'order': argument 'order.lines[1].quantity' must be an integer, but got \"2\" (a string).");
    assertThat(error("order", "{'order':{'id':'o','total':{'amount':1},'lines':[]}}"))
        .isEqualTo(
            "Tool 'order': argument 'order.total' is missing the required field 'currency' (a string).");
    assertThat(
            error(
                "order", "{'order':{'id':null,'total':{'amount':1,'currency':'EUR'},'lines':[]}}"))
        .isEqualTo("Tool 'order': argument 'order.id' must be a string, but got null.");
    assertThat(
            error(
                "order",
                "{'order':{'id':'o','total':{'amount':1,'currency':'EUR','rate':2},'lines':[]}}"))
        .isEqualTo(
            "Tool 'order': argument 'order.total' has an unknown field 'rate'; its fields are: amount, currency.");
    assertThat(error("order", "{'order':'o1'}"))
        .isEqualTo("Tool 'order': argument 'order' must be an object, but got \"o1\" (a string).");
    assertThat(
            error("collections", "{'list':['x',null],'set':[],'colors':[],'array':[],'monies':[]}"))
        .isEqualTo("Tool 'collections': argument 'list[1]' must be a string, but got null.");
    assertThat(error("collections", "{'list':[],'set':['12'],'colors':[],'array':[],'monies':[]}"))
        .isEqualTo(
            "Tool 'collections': argument 'set[0]' must be an integer, but got \"12\" (a string).");
    assertThat(
            error("collections", "{'list':[],'set':[],'colors':['BLUE'],'array':[],'monies':[]}"))
        .isEqualTo(
            "Tool 'collections': argument 'colors[0]' must be one of \"RED\", \"GREEN\", but got \"BLUE\" (a string).");
    assertThat(error("collections", "{'list':'x','set':[],'colors':[],'array':[],'monies':[]}"))
        .isEqualTo("Tool 'collections': argument 'list' must be a list, but got \"x\" (a string).");
    assertThat(error("collections", "{'list':[],'set':[],'colors':[],'array':[2.5],'monies':[]}"))
        .isEqualTo(
            "Tool 'collections': argument 'array[0]' must be an integer, but got 2.5 (a number).");
    assertThat(error("prices", "{'prices':{'EUR':'x'}}"))
        .isEqualTo(
            "Tool 'prices': argument 'prices.EUR' must be a number, but got \"x\" (a string).");
    assertThat(error("tree", "{'root':{'label':'r','children':[{'label':1,'children':[]}]}}"))
        .isEqualTo(
            "Tool 'tree': argument 'root.children[0].label' must be a string, but got 1 (a number).");
    assertThat(error("tree", "{'root':{'label':'r','children':[{'label':'a'}]}}"))
        .isEqualTo(
            "Tool 'tree': argument 'root.children[0]' is missing the required field 'children' (a list).");
  }
}
