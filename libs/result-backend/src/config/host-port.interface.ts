/** One host and port. @publicApi */
export interface HostPort {
  /** Host name or IP literal (IPv6 without brackets). */
  readonly host: string;
  /** TCP port, 1–65535. */
  readonly port: number;
}
