package dev.spantrail.tracing.autoconfigure;

import dev.spantrail.tracing.propagation.PropagationType;
import org.springframework.core.convert.converter.Converter;

/**
 * Binds {@code spantrail.propagation.*} values by their configuration names ({@code b3-multi}),
 * failing with a message that lists the allowed ones ({@link PropagationType#allowedValues()}).
 */
final class PropagationTypeConverter implements Converter<String, PropagationType> {
  @Override
  public PropagationType convert(String source) {
    return PropagationType.fromValue(source);
  }
}
