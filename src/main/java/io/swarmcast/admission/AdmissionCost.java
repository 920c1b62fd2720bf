package io.swarmcast.admission;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * On a command handler that can cause more than {@link Admission#EVENTS_PER_COMMAND} events: the most it can
 * cause, which is what {@link AdmissionInterceptor} reserves for it ({@code POST /api/swarm/init} spawns up to a
 * hundred agents at once).
 */
@Documented
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
public @interface AdmissionCost {

    /** The most events one request can cause, the events its listeners raise in turn included. */
    int events();
}
