/**
 * Typed, validated configuration: HOCON ({@code reference.conf} defaults, then
 * {@code conf/application.conf} or {@code --config FILE}, then {@code key=value} arguments) is read
 * once into the immutable {@link org.rdnas.config.RdnasConfig} record tree, which is all that the
 * jobs and their workers ever see.
 */
package org.rdnas.config;
