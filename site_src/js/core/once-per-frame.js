// Coalesce bursts of change messages (an import sends one per plan) into one redraw at the next frame.

/** A function that, however often it is called, runs fn once at the next animation frame. */
export function oncePerFrame(fn) {
  let queued = false;
  return () => {
    if (queued) return;
    queued = true;
    requestAnimationFrame(() => {
      queued = false;
      fn();
    });
  };
}
