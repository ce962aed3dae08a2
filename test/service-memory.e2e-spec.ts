import { runServiceContract } from './utils/service-contract.js';

describe('service on cache+memory://', () => {
  runServiceContract(() => ({ url: 'cache+memory://' }));
});
