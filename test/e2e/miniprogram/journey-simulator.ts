import { eventually, tapOn, type AppPage } from '../../support/preview';

/** A simulated step as the journey editor lists it: what happened and its detail. */
interface SimulatedStep {
  kind: string;
  detail: string;
}

/** Taps "simulate" in the journey editor and waits for the simulated timeline it shows. */
export async function simulatedTimeline(editor: AppPage): Promise<SimulatedStep[]> {
  await tapOn(editor, '#simulate-journey');
  return eventually(async () => {
    const rows = (await editor.data('timeline')) as SimulatedStep[];
    expect(rows.length).toBeGreaterThan(0);
    return rows;
  }, 20_000);
}
