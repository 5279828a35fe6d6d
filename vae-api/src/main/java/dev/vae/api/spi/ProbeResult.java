package dev.vae.api.spi;

import java.util.Objects;

/**
 * What {@link BackendProvider#probe()} found: whether the backend can run on this machine, why
 * not when it cannot, and a description of the device when it can.
 *
 * @param available true if {@link BackendProvider#create} is expected to succeed
 * @param reason why the backend is unavailable (empty when available), e.g. "no libcuda.so.1"
 * @param device device description (library versions, threads, device name); may be empty
 */
public record ProbeResult(boolean available, String reason, String device) {
    public ProbeResult {
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(device, "device");
    }

    /** @return an available result with the given device description */
    public static ProbeResult available(String device) {
        return new ProbeResult(true, "", device);
    }

    /** @return an unavailable result with the reason */
    public static ProbeResult unavailable(String reason) {
        return new ProbeResult(false, reason, "");
    }
}
