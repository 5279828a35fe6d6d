package dev.vae.api;

import dev.vae.api.spi.BackendProvider;
import dev.vae.api.spi.ProbeResult;

/**
 * One entry of backend discovery: a provider that loaded (with its probe result), or one that
 * failed to load (provider is null and the probe result says why).
 *
 * @param name the backend's name, or the provider's class name when it failed to load
 * @param priority selection priority (Integer.MIN_VALUE when it failed to load)
 * @param probe availability, reason and device description
 * @param provider the provider, or null when it failed to load
 */
public record BackendInfo(String name, int priority, ProbeResult probe, BackendProvider provider) {
    /** @return true if the backend can be created here */
    public boolean available() {
        return provider != null && probe.available();
    }
}
