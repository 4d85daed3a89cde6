import { describe, expect, it } from 'vitest';
import { RadLocalError } from '../../../core/errors/radlocal-error.ts';
import { mapOutputLabels } from './output-labels.ts';

// TorchXRayVision's 18 output columns (densenet121-res224-all), empty names as the package lists them.
const XRV = ['Atelectasis', 'Consolidation', 'Infiltration', 'Pneumothorax', 'Edema', 'Emphysema', 'Fibrosis', 'Effusion', 'Pneumonia', 'Pleural_Thickening', 'Cardiomegaly', 'Nodule', 'Mass', 'Hernia', 'Lung Lesion', 'Fracture', 'Lung Opacity', 'Enlarged Cardiomediastinum'];

function message(f: () => unknown): string {
  try {
    f();
    return 'no error';
  } catch (error) {
    expect(error).toBeInstanceOf(RadLocalError);
    expect((error as RadLocalError).code).toBe('CLI_USAGE');
    return (error as Error).message;
  }
}

describe('mapOutputLabels', () => {
  it('keeps a subset of a model’s 18 outputs, renamed, in the order given, and lists the rest as ignored', () => {
    const m = mapOutputLabels(['cardiomegaly=Cardiomegaly', 'pleural_effusion=Effusion', 'pneumothorax=Pneumothorax', 'nodule=#11'], XRV, 18);
    expect(m.labels).toEqual(['cardiomegaly', 'pleural_effusion', 'pneumothorax', 'nodule']);
    expect(m.columns).toEqual([10, 7, 3, 11]);
    expect(m.ignored).toHaveLength(14);
    expect(m.ignored).toContain('Hernia');
  });

  it('without "=", names every output in order', () => {
    expect(mapOutputLabels(['a', 'b'], undefined, 2)).toEqual({ labels: ['a', 'b'], columns: [0, 1], ignored: [] });
  });

  it('refuses what cannot be mapped, saying how to write it', () => {
    expect(message(() => mapOutputLabels(['a', 'b'], undefined, 18))).toMatch(/model has 18 outputs.*NAME=COLUMN/);
    expect(message(() => mapOutputLabels(['x=Hernia'], undefined, 18))).toMatch(/--output-labels does not name/);
    expect(message(() => mapOutputLabels(['x=Lungs'], XRV, 18))).toMatch(/"Lungs" of --labels is not among --output-labels/);
    expect(message(() => mapOutputLabels(['x=#18'], XRV, 18))).toMatch(/outside the model's 18 outputs/);
    expect(message(() => mapOutputLabels(['Heart=#1'], XRV, 18))).toMatch(/lowercase/);
    expect(message(() => mapOutputLabels(['a=#1', 'b=#1'], XRV, 18))).toMatch(/same model output/);
    expect(message(() => mapOutputLabels(['a'], ['x', 'y'], 3))).toMatch(/names 2 columns, but the model has 3/);
  });
});
