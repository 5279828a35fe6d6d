package dev.vae.backend.djl;

import ai.djl.util.Utils;
import dev.vae.api.DType;
import dev.vae.api.spi.BackendConfig;
import dev.vae.api.spi.BackendProvider;
import dev.vae.api.spi.DeviceArray;
import dev.vae.api.spi.Kernels;
import dev.vae.api.spi.ProbeResult;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Proxy;
import java.net.ProxySelector;
import java.net.SocketAddress;
import java.net.URI;
import java.net.URL;
import java.net.URLConnection;
import java.net.URLStreamHandler;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * Run in a fresh JVM by {@link OfflineLoadTest}: records every attempt to open a network URL,
 * probes and uses the backend, and prints {@code KEY=value} lines for the parent to check.
 */
public final class ForkedProbe {
    private ForkedProbe() {
    }

    /** @param args {@code run} to use the backend after probing */
    public static void main(String[] args) throws Exception {
        List<String> attempts = Collections.synchronizedList(new ArrayList<>());
        URL.setURLStreamHandlerFactory(protocol -> {
            if (!protocol.startsWith("http") && !protocol.equals("ftp")) {
                return null;
            }
            return new URLStreamHandler() {
                @Override
                protected URLConnection openConnection(URL u) throws IOException {
                    attempts.add(u.toString());
                    throw new IOException("network disabled in this test: " + u);
                }
            };
        });
        ProxySelector.setDefault(new ProxySelector() {
            @Override
            public List<Proxy> select(URI uri) {
                attempts.add(uri.toString());
                return List.of(new Proxy(Proxy.Type.HTTP, new InetSocketAddress("127.0.0.1", 9)));
            }

            @Override
            public void connectFailed(URI uri, SocketAddress sa, IOException ioe) {
            }
        });

        BackendProvider p = new DjlBackendProvider();
        ProbeResult r = p.probe();
        System.out.println("AVAILABLE=" + r.available());
        System.out.println("REASON=" + r.reason());
        System.out.println("DEVICE=" + r.device());
        System.out.println("OFFLINE=" + Utils.isOfflineMode());
        if (r.available()) {
            try (Kernels k = p.create(new BackendConfig(1, Map.of()))) {
                DeviceArray a = k.fromFloats(new float[] {1, 2, 3, 4}, new int[] {2, 2});
                DeviceArray c = k.matmul(a, a, false, true);
                float[] f = k.toFloats(c);
                System.out.println("RESULT=" + f[0] + "," + f[1] + "," + f[2] + "," + f[3]);
            }
            System.out.println("LIBTORCH=" + DjlRuntime.libtorchPath());
            Path maps = Path.of("/proc/self/maps");
            if (Files.exists(maps)) {
                for (String line : Files.readAllLines(maps)) {
                    if (line.contains("libtorch_cpu") || line.contains("djl_torch") || line.contains("libc10")) {
                        System.out.println("MAPPED=" + line.substring(line.indexOf('/')));
                    }
                }
            }
        } else {
            System.out.println("AGAIN=" + p.probe().available());
            try {
                p.create(BackendConfig.defaults());
                System.out.println("CREATE=succeeded");
            } catch (IllegalStateException e) {
                System.out.println("CREATE=" + e.getClass().getSimpleName() + ": " + e.getMessage());
            }
        }
        System.out.println("NETWORK=" + attempts.size() + " " + attempts);
        System.out.println("DONE");
    }
}
