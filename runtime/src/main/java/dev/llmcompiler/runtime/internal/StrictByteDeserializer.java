package dev.llmcompiler.runtime.internal;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.deser.std.StdScalarDeserializer;
import java.io.IOException;

/**
 * Reads a {@code byte} from -128 to 127 only. Jackson's own reader also takes 128 to 255 (as
 * unsigned bytes) and would turn an LLM's 200 into -56; {@link ToolArguments#byteValue} and this
 * one agree instead.
 */
final class StrictByteDeserializer extends StdScalarDeserializer<Byte> {
  private static final long serialVersionUID = 1L;
  static final String EXPECTED = "an integer from " + Byte.MIN_VALUE + " to " + Byte.MAX_VALUE;

  private final boolean primitive;

  StrictByteDeserializer(Class<Byte> type) {
    super(type);
    this.primitive = type.isPrimitive();
  }

  static boolean handles(Class<?> type) {
    return type == Byte.class || type == byte.class;
  }

  @Override
  public Byte deserialize(JsonParser parser, DeserializationContext context) throws IOException {
    if (!parser.hasToken(JsonToken.VALUE_NUMBER_INT)) {
      return (Byte) context.handleUnexpectedToken(handledType(), parser);
    }
    if (parser.getNumberType() == JsonParser.NumberType.INT) {
      int value = parser.getIntValue();
      if (value >= Byte.MIN_VALUE && value <= Byte.MAX_VALUE) {
        return (byte) value;
      }
    }
    return (Byte)
        context.handleWeirdNumberValue(handledType(), parser.getNumberValue(), "not " + EXPECTED);
  }

  @Override
  public Byte getNullValue(DeserializationContext context) throws JsonMappingException {
    if (primitive) {
      return (Byte) context.reportInputMismatch(this, "a byte cannot be null");
    }
    return null;
  }
}
