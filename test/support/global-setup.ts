import { buildFunctions } from '../../scripts/build-functions';

/** Integration suites run the built functions, exactly what would be uploaded: build them once per run. */
export default function globalSetup(): void {
  buildFunctions();
}
