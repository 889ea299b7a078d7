import ccxt from 'ccxt';
import { CCXT_EXCHANGE_IDS } from '../../../src/config/ccxt-exchange-ids';

describe('the build-time list of ccxt exchange ids', () => {
  it('when compared with the installed ccxt, then it is the same list (else run node scripts/ccxt-exchange-ids.mjs)', () => {
    expect([...CCXT_EXCHANGE_IDS].sort()).toEqual([...ccxt.exchanges].sort());
  });
});
