// Bad input gets a message at the field that names the rule, and nothing is queued.
import { expect, queued, runPerson, runPlate, statusBar, test } from './fixtures.ts';

const cases = [
  { name: 'a plate with a space', run: (p: Parameters<typeof runPlate>[0]) => runPlate(p, '4TRN 123', 'CA'), field: 'Plate (LIC)', message: 'Plate (LIC) must be letters and digits only, no spaces or hyphens' },
  { name: 'a plate of 11 characters', run: (p: Parameters<typeof runPlate>[0]) => runPlate(p, '4TRN1234567', 'CA'), field: 'Plate (LIC)', message: 'Plate (LIC) must be at most 10 characters' },
  { name: 'a missing state', run: (p: Parameters<typeof runPlate>[0]) => runPlate(p, '4TRN123', ''), field: 'State (LIS)', message: 'State (LIS) is required' },
  { name: 'a date of birth in the future', run: (p: Parameters<typeof runPlate>[0]) => runPerson(p, 'TRAINING, CLEAN', '2099-01-01', 'F'), field: 'Date of birth (DOB)', message: 'Date of birth (DOB) cannot be in the future' },
];

for (const { name, run, field, message } of cases) {
  test(`${name} is refused at the field and nothing is queued`, async ({ terminal: page }) => {
    await run(page);
    const input = page.getByLabel(field);
    await expect(input).toHaveAttribute('aria-invalid', 'true');
    await expect(input).toHaveAccessibleDescription(message);
    await expect(input).toBeFocused();
    await expect(statusBar(page)).toContainText(queued(0));
    await expect(page.getByText('No queries yet')).toBeVisible();
  });
}
