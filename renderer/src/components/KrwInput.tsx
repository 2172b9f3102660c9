import { NumberInput, type NumberInputProps } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { formatKrw } from '#shared/domain/format';

/** A whole-won amount: thousands separators, the unit, and the amount read back in 만원/억원 below it. */
export function KrwInput(props: NumberInputProps) {
  const { t, i18n } = useTranslation('assessment');
  const { value } = props;
  return (
    <NumberInput
      thousandSeparator=","
      allowDecimal={false}
      suffix={t('units.krw')}
      description={typeof value === 'number' ? formatKrw(value, i18n.language) : undefined}
      {...props}
    />
  );
}
