import {
  Button,
  Menu,
  MenuItemRadio,
  MenuList,
  MenuPopover,
  type MenuProps,
  MenuTrigger,
} from '@fluentui/react-components';
import { Globe20Regular } from '@fluentui/react-icons';
import { useTranslation } from 'react-i18next';
import { type Language, languages } from '../i18n.ts';

/** English ↔ Bahasa Indonesia. The choice is remembered in localStorage (`mitra.lang`). */
export function LanguageSwitch({ className }: { className?: string }) {
  const { t, i18n } = useTranslation();
  const current = (languages.includes(i18n.language as Language) ? i18n.language : 'en') as Language;

  const onChange: MenuProps['onCheckedValueChange'] = (_event, data) => {
    const next = data.checkedItems[0];
    if (next && next !== i18n.language) void i18n.changeLanguage(next);
  };

  return (
    <Menu checkedValues={{ language: [current] }} onCheckedValueChange={onChange}>
      <MenuTrigger disableButtonEnhancement>
        <Button
          appearance="subtle"
          icon={<Globe20Regular />}
          className={className}
          aria-label={t('lang.label')}
          data-testid="language-switch"
        >
          {t(`lang.${current}`)}
        </Button>
      </MenuTrigger>
      <MenuPopover>
        <MenuList>
          {languages.map((language) => (
            <MenuItemRadio
              key={language}
              name="language"
              value={language}
              lang={language}
              data-testid={`language-option-${language}`}
            >
              {t(`lang.${language}`)}
            </MenuItemRadio>
          ))}
        </MenuList>
      </MenuPopover>
    </Menu>
  );
}
