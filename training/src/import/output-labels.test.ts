import { describe, expect, it } from 'vitest';
import { expectTypedError } from '../../../test/typed-error-code.ts';
import { mapOutputLabels } from './output-labels.ts';

// TorchXRayVision's 18 output columns (densenet121-res224-all), empty names as the package lists them.
const XRV = ['Atelectasis', 'Consolidation', 'Infiltration', 'Pneumothorax', 'Edema', 'Emphysema', 'Fibrosis', 'Effusion', 'Pneumonia', 'Pleural_Thickening', 'Cardiomegaly', 'Nodule', 'Mass', 'Hernia', 'Lung Lesion', 'Fracture', 'Lung Opacity', 'Enlarged Cardiomediastinum'];

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

  it('refuses what cannot be mapped (CLI_USAGE), saying how to write it', async () => {
    await expectTypedError(() => mapOutputLabels(['a', 'b'], undefined, 18), 'CLI_USAGE', /model has 18 outputs.*NAME=COLUMN/);
    await expectTypedError(() => mapOutputLabels(['x=Hernia'], undefined, 18), 'CLI_USAGE', /--output-labels does not name/);
    await expectTypedError(() => mapOutputLabels(['x=Lungs'], XRV, 18), 'CLI_USAGE', /"Lungs" of --labels is not among --output-labels/);
    await expectTypedError(() => mapOutputLabels(['x=#18'], XRV, 18), 'CLI_USAGE', /outside the model's 18 outputs/);
    await expectTypedError(() => mapOutputLabels(['Heart=#1'], XRV, 18), 'CLI_USAGE', /lowercase/);
    await expectTypedError(() => mapOutputLabels(['a=#1', 'b=#1'], XRV, 18), 'CLI_USAGE', /same model output/);
    await expectTypedError(() => mapOutputLabels(['a'], ['x', 'y'], 3), 'CLI_USAGE', /names 2 columns, but the model has 3/);
  });
});
