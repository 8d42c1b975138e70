package dev.llmcompiler.runtime.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.llmcompiler.runtime.ToolArgumentException;
import dev.llmcompiler.runtime.ToolDescriptor;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ToolArgumentsTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** A record as a tool parameter type; Jackson binds it through its canonical constructor. */
  record Point(int x, int y, Optional<String> label) {}

  private static final ToolDescriptor TOOL =
      ToolDescriptor.builder()
          .name("plot")
          .parameters(
              ("{'type':'object','properties':{"
                      + "'points':{'type':'array','items':{'type':'object','properties':{'x':{'type':'integer'},"
                      + "'y':{'type':'integer'},'label':{'type':['string','null']}},'required':['x','y','label'],"
                      + "'additionalProperties':false}},"
                      + "'flags':{'type':'object','additionalProperties':{'type':'boolean'}},"
                      + "'title':{'type':['string','null']},"
                      + "'count':{'type':'integer'}},"
                      + "'required':['points','flags','title','count'],'additionalProperties':false}")
                  .replace('\'', '"'))
          .returns("{}")
          .signature("plot(...)")
          .build();

  private static final TypeReference<List<Point>> POINTS = new TypeReference<List<Point>>() {};
  private static final TypeReference<Map<String, Boolean>> FLAGS =
      new TypeReference<Map<String, Boolean>>() {};

  private static ToolArguments args(String singleQuoted) throws Exception {
    return ToolArguments.of(TOOL, (ObjectNode) JSON.readTree(singleQuoted.replace('\'', '"')));
  }

  @Test
  void decodesRecordsListsMapsAndNullableScalars() throws Exception {
    ToolArguments args =
        args(
            "{'points':[{'x':1,'y':2,'label':null},{'x':3,'y':4,'label':'b'}],"
                + "'flags':{'a':true},'count':7}");
    assertThat(args.value("points", POINTS))
        .containsExactly(new Point(1, 2, Optional.empty()), new Point(3, 4, Optional.of("b")));
    assertThat(args.value("flags", FLAGS)).containsEntry("a", true);
    assertThat(args.string("title")).isNull();
    assertThat(args.intValue("count")).isEqualTo(7);
  }

  @Test
  void scalarCoercionsAreRejectedInsideValues() {
    assertThatThrownBy(
            () ->
                args("{'points':[{'x':'1','y':2,'label':null}],'flags':{},'count':1}")
                    .value("points", POINTS))
        .isInstanceOf(ToolArgumentException.class)
        .hasMessage(
            "Tool 'plot': argument 'points[0].x' must be an integer, but got \"1\" (a string).");
    assertThatThrownBy(() -> args("{'points':[],'flags':{'a':1},'count':1}").value("flags", FLAGS))
        .hasMessage("Tool 'plot': argument 'flags.a' must be a boolean, but got 1 (a number).");
    assertThatThrownBy(
            () ->
                args("{'points':[{'x':1.5,'y':2,'label':null}],'flags':{},'count':1}")
                    .value("points", POINTS))
        .hasMessage(
            "Tool 'plot': argument 'points[0].x' must be an integer, but got 1.5 (a number).");
    assertThatThrownBy(
            () ->
                args("{'points':[{'x':3000000000,'y':2,'label':null}],'flags':{},'count':1}")
                    .value("points", POINTS))
        .hasMessage(
            "Tool 'plot': argument 'points[0].x' must be an integer, but got 3000000000 (a number).");
    assertThatThrownBy(
            () ->
                args("{'points':[{'x':1,'y':2,'label':5}],'flags':{},'count':1}")
                    .value("points", POINTS))
        .hasMessage(
            "Tool 'plot': argument 'points[0].label' must be a string or null, but got 5 (a number).");
  }

  /** A record with bytes inside, which Jackson alone would read from -128 to 255. */
  record Pixel(byte level, List<Byte> more) {}

  private static final ToolDescriptor PAINT =
      ToolDescriptor.builder()
          .name("paint")
          .parameters(
              ("{'type':'object','properties':{'pixel':{'type':'object','properties':{"
                      + "'level':{'type':'integer'},'more':{'type':'array','items':{'type':'integer'}}},"
                      + "'required':['level','more'],'additionalProperties':false}},"
                      + "'required':['pixel'],'additionalProperties':false}")
                  .replace('\'', '"'))
          .returns("{}")
          .signature("paint(pixel)")
          .build();

  private static Pixel pixel(String singleQuoted) throws Exception {
    return ToolArguments.of(PAINT, (ObjectNode) JSON.readTree(singleQuoted.replace('\'', '"')))
        .value("pixel", new TypeReference<Pixel>() {});
  }

  @Test
  void bytesInsideValuesKeepJavasRange() throws Exception {
    assertThat(pixel("{'pixel':{'level':-128,'more':[127,0]}}"))
        .isEqualTo(new Pixel((byte) -128, List.of((byte) 127, (byte) 0)));
    assertThatThrownBy(() -> pixel("{'pixel':{'level':200,'more':[]}}"))
        .isInstanceOf(ToolArgumentException.class)
        .hasMessage(
            "Tool 'paint': argument 'pixel.level' must be an integer from -128 to 127, but got 200 (a number).");
    assertThatThrownBy(() -> pixel("{'pixel':{'level':1,'more':[1,128]}}"))
        .hasMessage(
            "Tool 'paint': argument 'pixel.more[1]' must be an integer from -128 to 127, but got 128 (a number).");
    assertThatThrownBy(() -> pixel("{'pixel':{'level':1,'more':[-129]}}"))
        .hasMessage(
            "Tool 'paint': argument 'pixel.more[0]' must be an integer from -128 to 127, but got -129 (a number).");
    assertThatThrownBy(() -> pixel("{'pixel':{'level':99999999999,'more':[]}}"))
        .hasMessageContaining(
            "'pixel.level' must be an integer from -128 to 127, but got 99999999999");
    assertThatThrownBy(() -> pixel("{'pixel':{'level':'1','more':[]}}"))
        .hasMessage(
            "Tool 'paint': argument 'pixel.level' must be an integer, but got \"1\" (a string).");
    assertThatThrownBy(() -> pixel("{'pixel':{'level':1.5,'more':[]}}"))
        .hasMessage(
            "Tool 'paint': argument 'pixel.level' must be an integer, but got 1.5 (a number).");
    assertThatThrownBy(() -> pixel("{'pixel':{'level':null,'more':[]}}"))
        .hasMessageStartingWith("Tool 'paint': argument 'pixel.level' must be an integer");
  }

  @Test
  void errorsCarryToolAndParameter() {
    ToolArgumentException e =
        org.assertj.core.api.Assertions.catchThrowableOfType(
            ToolArgumentException.class,
            () -> args("{'points':[],'flags':{},'count':'x'}").intValue("count"));
    assertThat(e.tool()).isEqualTo("plot");
    assertThat(e.parameter()).contains("count");
    ToolArgumentException missing =
        org.assertj.core.api.Assertions.catchThrowableOfType(
            ToolArgumentException.class, () -> args("{'points':[],'flags':{}}"));
    assertThat(missing.parameter()).contains("count");
    assertThat(missing)
        .hasMessage(
            "Tool 'plot': required argument 'count' is missing. Its parameters are: points,"
                + " flags, title (optional), count.");
  }

  @Test
  void longValuesAreShortenedInMessages() {
    String longText = "x".repeat(200);
    assertThatThrownBy(
            () -> args("{'points':[],'flags':{},'count':'" + longText + "'}").intValue("count"))
        .hasMessageEndingWith("..." + " (a string).")
        .hasMessageNotContaining(longText);
  }

  @Test
  void encodesResultsWithIsoDatesAndOptionals() {
    assertThat(ToolArguments.encode(null)).isEqualTo(NullNode.getInstance());
    assertThat(ToolArguments.encode(LocalDate.of(2024, 5, 31)).asText()).isEqualTo("2024-05-31");
    assertThat(ToolArguments.encode(Instant.parse("2024-05-31T10:00:00Z")).asText())
        .isEqualTo("2024-05-31T10:00:00Z");
    assertThat(ToolArguments.encode(Duration.ofMinutes(15)).asText()).isEqualTo("PT15M");
    JsonNode point = ToolArguments.encode(new Point(1, 2, Optional.empty()));
    assertThat(point.toString()).isEqualTo("{\"x\":1,\"y\":2,\"label\":null}");
  }

  @Test
  void unknownToolListsTheTools() {
    assertThat(ToolArguments.unknownTool("plott", List.of(TOOL)))
        .hasMessage("Unknown tool 'plott'. The tools here are: plot.")
        .satisfies(e -> assertThat(e.parameter()).isEmpty());
  }
}
