package dev.vae.cli.physics;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonElement;
import com.google.gson.JsonNull;
import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;
import dev.vae.models.io.AtomicFiles;
import dev.vae.models.physics.stats.Autocorrelation;
import dev.vae.models.physics.stats.Estimate;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/** JSON helpers for the physics commands' summaries (non-finite numbers become null). */
final class Json {
    private Json() {
    }

    /** @return a number, or JSON null when not finite */
    static JsonElement num(double v) {
        return Double.isFinite(v) ? new JsonPrimitive(v) : JsonNull.INSTANCE;
    }

    /** @return {value, error} */
    static JsonObject estimate(Estimate e) {
        JsonObject o = new JsonObject();
        o.add("value", num(e.value()));
        o.add("error", num(e.error()));
        return o;
    }

    /** @return {mean, error, tau, ess, reliable} */
    static JsonObject analysis(Autocorrelation.Analysis a) {
        JsonObject o = new JsonObject();
        o.add("mean", num(a.mean()));
        o.add("error", num(a.error()));
        o.add("tau_int", num(a.tau()));
        o.add("ess", num(a.ess()));
        o.addProperty("reliable", a.reliable());
        return o;
    }

    /** Writes {@code o} pretty-printed, atomically. */
    static void write(Path file, JsonObject o) {
        String text = new GsonBuilder().setPrettyPrinting().serializeNulls().create().toJson(o) + "\n";
        AtomicFiles.write(file, out -> out.write(text.getBytes(StandardCharsets.UTF_8)));
    }
}
