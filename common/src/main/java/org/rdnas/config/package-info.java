/**
 * Typed, validated configuration: HOCON ({@code reference.conf} defaults, then
 * {@code conf/application.conf} or {@code --config FILE}, then {@code key=value} arguments) is read
 * once into the immutable {@link org.rdnas.config.RdnasConfig} record tree, which is all that the
 * jobs and their workers ever see. Each record declares its keys once, as a {@code Section} of
 * {@code Key}s (name, type, checks) from which reading, printing and validation follow; each key's
 * default and its description for users are in reference.conf.
 */
package org.rdnas.config;
