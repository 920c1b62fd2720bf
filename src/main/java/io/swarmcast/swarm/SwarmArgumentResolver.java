package io.swarmcast.swarm;

import lombok.RequiredArgsConstructor;
import org.springframework.core.MethodParameter;
import org.springframework.web.bind.support.WebDataBinderFactory;
import org.springframework.web.context.request.NativeWebRequest;
import org.springframework.web.method.support.HandlerMethodArgumentResolver;
import org.springframework.web.method.support.ModelAndViewContainer;

/**
 * Gives a controller method's {@link Swarm} parameter the swarm its request names with {@code ?swarm=} (the default
 * swarm without it), so every command API works per swarm with one parameter and no lookup code of its own.
 * An unknown swarm is 404 {@code not_found}: commands act on swarms that exist (ingest and {@code swarm init} make
 * them); an id that is no swarm id is 400 {@code invalid_field}.
 */
@RequiredArgsConstructor
class SwarmArgumentResolver implements HandlerMethodArgumentResolver {

    static final String PARAMETER = "swarm";

    private final Swarms swarms;

    @Override
    public boolean supportsParameter(MethodParameter parameter) {
        return Swarm.class.equals(parameter.getParameterType());
    }

    @Override
    public Swarm resolveArgument(MethodParameter parameter, ModelAndViewContainer container, NativeWebRequest request,
                                 WebDataBinderFactory binders) {
        return swarms.require(Swarms.fromRequest(PARAMETER, request.getParameter(PARAMETER)));
    }
}
