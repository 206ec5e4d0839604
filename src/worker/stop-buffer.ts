/**
 * Holds back text that might be the start of a stop sequence, so a stop sequence never reaches the user even when
 * it arrives split over several tokens; cuts the text where one completes. A port of OA's `TokenBuffer`
 * (`inference/worker/utils.py`), on text instead of token ids.
 */
export class StopSequenceBuffer {
  private held = "";

  constructor(private readonly stops: readonly string[]) {}

  /** `emit` is safe to show; `stopped` means a stop sequence completed and generation should end. */
  push(text: string): { emit: string; stopped: boolean } {
    this.held += text;
    let cut = -1;
    for (const stop of this.stops) {
      const at = this.held.indexOf(stop);
      if (at !== -1 && (cut === -1 || at < cut)) cut = at;
    }
    if (cut !== -1) {
      const emit = this.held.slice(0, cut);
      this.held = "";
      return { emit, stopped: true };
    }
    const keep = this.partialStopLength();
    const emit = this.held.slice(0, this.held.length - keep);
    this.held = this.held.slice(this.held.length - keep);
    return { emit, stopped: false };
  }

  /** At the end (length or end-of-sequence): whatever was held back is ordinary text after all. */
  flush(): string {
    const rest = this.held;
    this.held = "";
    return rest;
  }

  /** The longest end of the held text that is a proper prefix of some stop sequence. */
  private partialStopLength(): number {
    let longest = 0;
    for (const stop of this.stops) {
      for (let length = Math.min(stop.length - 1, this.held.length); length > longest; length--) {
        if (this.held.endsWith(stop.slice(0, length))) {
          longest = length;
          break;
        }
      }
    }
    return longest;
  }
}
