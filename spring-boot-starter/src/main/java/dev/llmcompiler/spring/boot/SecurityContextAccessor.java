package dev.llmcompiler.spring.boot;

import io.micrometer.context.ThreadLocalAccessor;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.core.context.SecurityContextHolder;

/**
 * Spring Security's {@code SecurityContextHolder} for context-propagation, so that tools see the
 * caller's authentication. Only loaded when Spring Security is on the class path.
 */
final class SecurityContextAccessor implements ThreadLocalAccessor<SecurityContext> {
  static final String KEY = SecurityContext.class.getName();

  @Override
  public Object key() {
    return KEY;
  }

  /** The caller's context, or {@code null} when it has no authentication (nothing to carry). */
  @Override
  public SecurityContext getValue() {
    SecurityContext context = SecurityContextHolder.getContext();
    return context.getAuthentication() == null ? null : context;
  }

  @Override
  public void setValue(SecurityContext value) {
    SecurityContextHolder.setContext(value);
  }

  @Override
  public void setValue() {
    SecurityContextHolder.clearContext();
  }
}
