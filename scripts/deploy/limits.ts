/** The platform's limits that deploy checks before any upload. */
export const MB = 1024 * 1024;

export const PLATFORM_LIMITS = {
  /** Each Mini Program package (main and every subpackage). */
  packageBytes: 2 * MB,
  /** All packages of one Mini Program together. */
  totalPackagesBytes: 30 * MB,
  /** A function's code zip uploaded through the cloud API (`@cloudbase/manager-node` refuses larger). */
  functionZipBytes: 50 * MB,
  timeoutSeconds: { min: 1, max: 900 },
} as const;

export const formatBytes = (n: number): string =>
  n >= MB ? `${(n / MB).toFixed(2)} MB` : `${(n / 1024).toFixed(1)} KB`;
