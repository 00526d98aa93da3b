import type { BackboneName } from '$lib/models/poster/backbones.ts';
import {
  backboneStatuses,
  importBackbone,
  removeBackbone,
  type BackboneStatus,
} from '$lib/workers/backbones-client.ts';
import { errorMessage } from '../../core/errors.ts';

/** The Settings → Backbone weights card's state: what is stored per backbone, and the last outcome. */
class BackboneWeights {
  rows = $state.raw<BackboneStatus[]>([]);
  /** The backbone whose files are being checked or removed. */
  busy = $state<BackboneName | null>(null);
  message = $state<{ ok: boolean; text: string } | null>(null);

  async refresh(): Promise<void> {
    try {
      this.rows = await backboneStatuses();
    } catch (e) {
      this.message = { ok: false, text: `Cannot read the stored weights: ${String(e)}` };
    }
  }

  /** Checks the user's files in a worker and stores them if they fit (nothing changes otherwise). */
  async give(name: BackboneName, files: readonly File[]): Promise<void> {
    if (files.length === 0 || this.busy) return;
    this.busy = name;
    this.message = null;
    try {
      const r = await importBackbone(name, files);
      this.message = {
        ok: true,
        text: `Stored ${r.files} file${r.files === 1 ? '' : 's'} for ${name}: ${(r.params / 1e6).toFixed(2)} M weights checked.`,
      };
    } catch (e) {
      this.message = { ok: false, text: errorMessage(e) };
    } finally {
      this.busy = null;
      await this.refresh();
    }
  }

  async remove(name: BackboneName): Promise<void> {
    this.busy = name;
    try {
      const n = await removeBackbone(name);
      this.message = { ok: true, text: `Removed ${n} file${n === 1 ? '' : 's'} of ${name}.` };
    } finally {
      this.busy = null;
      await this.refresh();
    }
  }
}

export const backboneWeights = new BackboneWeights();
