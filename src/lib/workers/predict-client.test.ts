import { afterEach, describe, expect, it, vi } from 'vitest';
import { MODEL_HOST_TABLE } from '../net/model-hosts.ts';
import { chooseBackboneUrl } from './predict-client.ts';
import { siteModelsUrl } from './site-models.ts';

const OFFICIAL = MODEL_HOST_TABLE['mobilenetv2-0.35'].url;
const SITE = 'https://example.org/marquee/models/';
const SHIPPED = `${SITE}mobilenetv2-0.35/model.json`;

/** A model store holding `urls`, recording what was asked. */
function store(...urls: string[]) {
  const asked: string[] = [];
  return {
    asked,
    stored: async (u: string) => (asked.push(u), urls.includes(u) ? {} : null),
  };
}

describe('which backbone URL Predict uses', () => {
  afterEach(() => {
    vi.unstubAllGlobals();
    vi.unstubAllEnvs();
  });

  it("is the copy that ships with the site, under the app's base URL, when nothing is stored", async () => {
    vi.stubGlobal('location', new URL('https://example.org/marquee/#/predict'));
    vi.stubEnv('BASE_URL', '/marquee/');
    expect(siteModelsUrl()).toBe(SITE);
    const s = store();
    expect(await chooseBackboneUrl(siteModelsUrl(), s.stored, null)).toBe(SHIPPED);
    // Only the model store is asked: no request to /__shared/ or any other server.
    expect(s.asked).toEqual([SHIPPED, OFFICIAL]);
    expect(s.asked.some((u) => u.includes('__shared'))).toBe(false);
  });

  it('prefers a stored copy, so an offline page uses what it has', async () => {
    expect(await chooseBackboneUrl(SITE, store(SHIPPED, OFFICIAL).stored, null)).toBe(SHIPPED);
    // A browser that kept the official host's copy before the site shipped its own keeps using it.
    expect(await chooseBackboneUrl(SITE, store(OFFICIAL).stored, null)).toBe(OFFICIAL);
  });

  it("takes the user's backbone URL setting over everything", async () => {
    const mine = 'https://models.example.net/mnv2/model.json';
    const s = store(SHIPPED);
    expect(await chooseBackboneUrl(SITE, s.stored, mine)).toBe(mine);
    expect(s.asked).toEqual([]);
  });

  it('reads the setting from localStorage by default', async () => {
    const mine = '/__shared/models/mobilenetv2-0.35-imagenet/model.json'; // tests set it explicitly
    vi.stubGlobal('localStorage', {
      getItem: (k: string) => (k === 'marquee.backboneUrl' ? mine : null),
    });
    expect(await chooseBackboneUrl(SITE, store().stored)).toBe(mine);
  });
});
