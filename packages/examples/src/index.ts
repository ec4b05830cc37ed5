/** @fluxion/examples: runnable programs reproducing the course notes (see `demo.ts`). */
export {};
