package test;

import dev.llmcompiler.runtime.ToolSet;
import dev.llmcompiler.runtime.internal.IndexedFactory;
import dev.llmcompiler.runtime.internal.ToolSetFactory;
import javax.annotation.processing.Generated;

/**
 * Makes {@link ConverterTools} for integrations that find tool sets through {@code ServiceLoader}, such as the Spring Boot starter; application code calls {@link ConverterTools#of(Converter)} itself.
 */
@IndexedFactory
@Generated("dev.llmcompiler.processor.ToolProcessor")
@SuppressWarnings({"deprecation", "removal"})
public final class ConverterToolsFactory implements ToolSetFactory {
  @Override
  public Class<?> type() {
    return Converter.class;
  }

  @Override
  public boolean isStatic() {
    return false;
  }

  @Override
  public ToolSet create(Object instance) {
    return ConverterTools.of(Converter.class.cast(instance));
  }
}
