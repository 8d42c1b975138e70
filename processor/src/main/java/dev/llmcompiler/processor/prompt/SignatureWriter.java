package dev.llmcompiler.processor.prompt;

import dev.llmcompiler.processor.schema.Property;
import dev.llmcompiler.processor.schema.Shape;
import dev.llmcompiler.processor.schema.Shape.ArrayOf;
import dev.llmcompiler.processor.schema.Shape.Component;
import dev.llmcompiler.processor.schema.Shape.EnumType;
import dev.llmcompiler.processor.schema.Shape.MapOf;
import dev.llmcompiler.processor.schema.Shape.OptionalOf;
import dev.llmcompiler.processor.schema.Shape.RecordRef;
import dev.llmcompiler.processor.schema.Shape.RecordType;
import dev.llmcompiler.processor.schema.Shape.Scalar;
import dev.llmcompiler.processor.schema.Shape.VoidType;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Writes the compact, typed prompt line of a tool, e.g. {@code convert(amount: number, to:
 * "EUR"|"USD", note?: string) -> {amount: number, currency: string}}.
 *
 * <p>Optional parameters and fields end in {@code ?}; records show their fields, recursive records
 * show them once as {@code Name{...}} and then their name; lists are {@code list[T]}, sets {@code
 * set[T]}, maps {@code map[string, T]}; a result that may be null reads {@code T | null}.
 */
public final class SignatureWriter {
  private final Map<String, RecordType> records;
  private final Set<String> recursive;

  public SignatureWriter(Map<String, RecordType> records, Set<String> recursive) {
    this.records = records;
    this.recursive = recursive;
  }

  /** The signature line of one tool. */
  public String signature(
      String name, List<Property> parameters, Shape result, boolean nullableResult) {
    Set<String> shown = new HashSet<>();
    String arguments =
        parameters.stream()
            .map(p -> p.name() + (p.optional() ? "?" : "") + ": " + type(p.shape(), shown))
            .collect(Collectors.joining(", "));
    String returns = type(result, shown);
    if (nullableResult && !(result instanceof VoidType)) {
      returns += " | null";
    }
    return name + "(" + arguments + ") -> " + returns;
  }

  private String type(Shape shape, Set<String> shown) {
    if (shape instanceof Scalar) {
      Shape.ScalarKind kind = ((Scalar) shape).kind();
      return kind.format() != null ? kind.format() : kind.jsonType();
    } else if (shape instanceof EnumType) {
      return ((EnumType) shape)
          .constants().stream().map(c -> "\"" + c + "\"").collect(Collectors.joining("|"));
    } else if (shape instanceof RecordType) {
      RecordType record = (RecordType) shape;
      if (!recursive.contains(record.key())) {
        return fields(record, shown);
      }
      return shown.add(record.key())
          ? record.simpleName() + fields(record, shown)
          : record.simpleName();
    } else if (shape instanceof RecordRef) {
      RecordType record = records.get(((RecordRef) shape).key());
      return shown.add(record.key())
          ? record.simpleName() + fields(record, shown)
          : record.simpleName();
    } else if (shape instanceof ArrayOf) {
      ArrayOf array = (ArrayOf) shape;
      return (array.unique() ? "set[" : "list[") + type(array.element(), shown) + "]";
    } else if (shape instanceof MapOf) {
      return "map[string, " + type(((MapOf) shape).value(), shown) + "]";
    } else if (shape instanceof OptionalOf) {
      return type(((OptionalOf) shape).value(), shown);
    } else if (shape instanceof VoidType) {
      return "null";
    }
    throw new IllegalStateException(
        "unsupported types are rejected before signatures are written: " + shape);
  }

  private String fields(RecordType record, Set<String> shown) {
    StringBuilder out = new StringBuilder("{");
    for (Component component : record.components()) {
      if (out.length() > 1) {
        out.append(", ");
      }
      out.append(component.name())
          .append(component.optional() ? "?" : "")
          .append(": ")
          .append(type(component.shape(), shown));
    }
    return out.append('}').toString();
  }
}
