package dev.vae.api;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** NumPy broadcasting and axis rules. */
class ShapesTest {
    @Test
    void broadcastsLikeNumpy() {
        assertArrayEquals(new int[] {3, 4}, Shapes.broadcast(new int[] {3, 1}, new int[] {1, 4}));
        assertArrayEquals(new int[] {2, 3, 4}, Shapes.broadcast(new int[] {2, 3, 4}, new int[] {4}));
        assertArrayEquals(new int[] {2, 3}, Shapes.broadcast(new int[0], new int[] {2, 3}));
        assertArrayEquals(new int[] {0, 3}, Shapes.broadcast(new int[] {0, 1}, new int[] {1, 3}));
        assertArrayEquals(new int[] {0}, Shapes.broadcast(new int[] {1}, new int[] {0}));
    }

    @Test
    void incompatibleShapesNameBoth() {
        ShapeException e = assertThrows(ShapeException.class, () -> Shapes.broadcast(new int[] {2, 3}, new int[] {4}));
        assertTrue(e.getMessage().contains("(2, 3)") && e.getMessage().contains("(4,)"), e.getMessage());
    }

    @Test
    void axesAndReductions() {
        assertArrayEquals(new int[] {0, 1, 2}, Shapes.axes(new int[0], 3));
        assertArrayEquals(new int[] {0, 2}, Shapes.axes(new int[] {-1, 0}, 3));
        assertThrows(ShapeException.class, () -> Shapes.axes(new int[] {0, -3}, 3));
        assertThrows(ShapeException.class, () -> Shapes.axes(new int[] {3}, 3));
        assertArrayEquals(new int[] {2, 1, 4}, Shapes.reduced(new int[] {2, 3, 4}, new int[] {1}, true));
        assertArrayEquals(new int[] {2}, Shapes.reduced(new int[] {2, 3, 4}, new int[] {1, 2}, false));
        assertEquals(1, Shapes.size(new int[0]));
        assertEquals(0, Shapes.size(new int[] {3, 0}));
        assertEquals("()", Shapes.format(new int[0]));
    }
}
