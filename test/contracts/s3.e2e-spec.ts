/** Every contract of the backend table on `s3` (test/support/backend-table.ts). */
import { describeBackend } from '../support/describe-backend.js';

describeBackend('s3');
